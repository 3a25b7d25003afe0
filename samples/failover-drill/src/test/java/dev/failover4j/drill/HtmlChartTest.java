package dev.failover4j.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.CircuitState;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class HtmlChartTest {

    private final DrillTimeline timeline = new DrillTimeline(Duration.ofSeconds(10));

    @Test
    void should_render_two_well_formed_svg_charts_when_calls_were_recorded() throws Exception {
        // given
        DrillStats stats = new DrillStats(List.of("primary", "secondary <&> \"quoted\""));
        for (int s = 0; s < 10; s++) {
            stats.record(CallRecord.served(s * 1_000, s * 1_000 + 90, DrillPhase.HEALTHY, "primary", 10, 5, BigDecimal.ONE));
            stats.record(CallRecord.served(s * 1_000, s * 1_000 + 2_500, DrillPhase.HANG, "secondary <&> \"quoted\"", 10, 5,
                    BigDecimal.ONE));
        }
        stats.record(CallRecord.failed(3_000, 3_100, DrillPhase.OUTAGE, "boom <b>"));
        List<EventCounter.Transition> transitions = List.of(
                new EventCounter.Transition(2_100, "primary", CircuitState.CLOSED, CircuitState.OPEN),
                new EventCounter.Transition(8_300, "primary", CircuitState.HALF_OPEN, CircuitState.CLOSED));

        // when
        String html = HtmlChart.render("Failover drill", stats, timeline, transitions, "table <pre>", "notes & more");

        // then
        List<Document> svgs = parseSvgs(html);
        assertThat(svgs).hasSize(2);
        assertThat(svgs.get(0).getElementsByTagName("rect").getLength()).isGreaterThan(20);
        assertThat(svgs.get(0).getElementsByTagName("line").getLength()).isGreaterThanOrEqualTo(2);
        assertThat(svgs.get(1).getElementsByTagName("polyline").getLength()).isEqualTo(2);
        assertThat(html).doesNotContain("<script", "<link", "src=\"http").contains("table &lt;pre&gt;", "notes &amp; more");
    }

    @Test
    void should_render_empty_charts_when_no_call_was_recorded() throws Exception {
        // given
        DrillStats stats = new DrillStats(List.of("primary"));

        // when
        String html = HtmlChart.render("Failover drill", stats, timeline, List.of(), "", "");

        // then
        assertThat(parseSvgs(html)).hasSize(2);
    }

    @Test
    void should_pick_round_tick_steps_when_scaling_the_request_axis() {
        assertThat(HtmlChart.niceStep(25)).isEqualTo(5);
        assertThat(HtmlChart.niceStep(7)).isEqualTo(2);
        assertThat(HtmlChart.niceStep(3)).isEqualTo(1);
        assertThat(HtmlChart.niceStep(180)).isEqualTo(50);
    }

    private static List<Document> parseSvgs(String html) throws Exception {
        Matcher svg = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(html);
        List<Document> docs = new java.util.ArrayList<>();
        while (svg.find()) {
            docs.add(DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader(svg.group()))));
        }
        return docs;
    }
}
