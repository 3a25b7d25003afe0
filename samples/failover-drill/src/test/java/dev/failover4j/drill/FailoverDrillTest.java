package dev.failover4j.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.FailoverConfig;
import dev.failover4j.SkipReason;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * Runs one shortened drill (12 s, 6 users, simulated providers only) and checks what it is meant to
 * show. Thresholds leave room for a slow 2-core CI machine: shares are compared per phase, not per
 * second, and calls count in the phase they started in (whose faults were already in place).
 */
class FailoverDrillTest {

    @TempDir
    static Path reportDir;

    static DrillResult result;

    @BeforeAll
    static void runDrill() throws InterruptedException {
        DrillOptions options = DrillOptions.parse("--duration", "12s", "--users", "6", "--report", reportDir.toString());
        result = new FailoverDrill(options, Map.of(), System.out, false).run();
    }

    @Test
    void should_show_no_user_facing_error_when_providers_fail_one_after_another() {
        // given the drill above: outage, 429 storm and hang on the primary
        // when
        CallSummary total = result.stats().total();

        // then
        assertThat(total.calls()).isGreaterThan(40);
        assertThat(total.errors()).isZero();
        assertThat(result.events().exhausted()).isZero();
    }

    @Test
    void should_serve_from_primary_when_every_provider_is_healthy() {
        // given
        CallSummary healthy = result.stats().phase(DrillPhase.HEALTHY);

        // when
        double primaryShare = healthy.share("primary");

        // then
        assertThat(healthy.calls()).isPositive();
        assertThat(primaryShare).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void should_keep_sending_each_call_to_the_slow_primary_first_under_priority_routing() {
        // given: priority routing (the default) does not look at latency; --routing least-latency does. Hedges send
        // the slowest calls on to the secondary, but each call still starts on the primary
        CallSummary slow = result.stats().phase(DrillPhase.SLOW);

        // when
        long primaryRequests = result.stats().providerRequests(DrillPhase.SLOW, "primary");

        // then
        assertThat(slow.calls()).isPositive();
        assertThat(primaryRequests).isGreaterThanOrEqualTo(slow.calls() * 9 / 10);
    }

    @Test
    void should_carry_the_hang_with_hedged_attempts_instead_of_waiting_for_the_attempt_timeout() {
        // given: the calls of the hang (without hedging, the first ones wait for the attempt timeout before the
        // breaker opens, and a second or two pass with no answer at all; the README shows a 60-s run second by second)
        CallSummary hang = result.stats().phase(DrillPhase.HANG);

        // then: hedges on the backups answered, and the typical call did not wait for the timeout
        assertThat(result.events().hedgesWon("secondary") + result.events().hedgesWon("budget")).isPositive();
        assertThat(hang.p50()).isLessThan(result.timing().attemptTimeout().toMillis());
    }

    @Test
    void should_raise_target_down_during_the_outage_and_target_recovered_after_it() {
        assertThat(result.events().downAlerts("primary")).isPositive();
        assertThat(result.events().recoveredAlerts("primary")).isPositive();
    }

    @Test
    void should_serve_from_secondary_and_budget_when_primary_is_down_or_rate_limited() {
        for (DrillPhase phase : new DrillPhase[] {DrillPhase.OUTAGE, DrillPhase.RATE_LIMIT_STORM, DrillPhase.HANG}) {
            // given: the calls that started and ended within the phase (a call started late in the hang
            // may time out on the primary and be answered by its retry once recovery has begun)
            long end = result.timeline().endMillis(phase);
            List<CallRecord> within = result.stats().records().stream()
                    .filter(r -> r.phase() == phase && r.endMillis() < end)
                    .toList();

            // when
            CallSummary summary = CallSummary.of(within, result.stats().targets());

            // then
            assertThat(summary.calls()).as(phase.label()).isPositive();
            assertThat(summary.servedBy().get("primary")).as(phase.label()).isZero();
            assertThat(summary.servedBy().get("secondary") + summary.servedBy().get("budget")).as(phase.label())
                    .isEqualTo(summary.calls());
        }
    }

    @Test
    void should_spare_the_dead_primary_when_its_breaker_is_open() {
        // given: without a breaker every call of the outage would cost the dead primary 1 + maxRetries requests
        long calls = result.stats().phase(DrillPhase.OUTAGE).calls();
        long withoutBreaker = calls * (1 + FailoverConfig.DEFAULT_MAX_RETRIES);

        // when
        long primaryRequests = result.stats().providerRequests(DrillPhase.OUTAGE, "primary");

        // then: the breaker opened after a few failures and only let trial calls through
        assertThat(result.events().skips("primary", SkipReason.CIRCUIT_OPEN)).isPositive();
        assertThat(primaryRequests).isPositive().isLessThan(withoutBreaker / 2);
    }

    @Test
    void should_serve_from_primary_again_when_it_recovers() {
        // given: the breaker needs up to an attempt timeout (a trial call hung in the hang phase) plus
        // the breaker delay plus three successful trials to close again; judge the last 1.5 s
        long end = result.timeline().totalMillis();

        // when
        CallSummary lastCalls = result.stats().endedBetween(end - 1_500, end + 60_000);

        // then
        assertThat(lastCalls.calls()).isPositive();
        assertThat(lastCalls.share("primary")).isGreaterThanOrEqualTo(0.8);
        assertThat(result.events().transitions())
                .anySatisfy(t -> assertThat(t.target() + " " + t.to()).isEqualTo("primary CLOSED"));
    }

    @Test
    void should_fit_long_conversations_when_the_8k_budget_target_serves_them() {
        // given
        int budgetWindow = 8_000;

        // when
        long truncations = result.events().truncations("budget");

        // then
        assertThat(truncations).isPositive();
        assertThat(result.largestRequestTokens().get("budget")).isPositive().isLessThanOrEqualTo(budgetWindow);
        assertThat(result.largestRequestTokens().get("primary")).isGreaterThan(budgetWindow);
    }

    @Test
    void should_write_an_html_report_with_well_formed_svg_charts_when_the_drill_ends() throws Exception {
        // given
        Path report = result.report();

        // when
        String html = Files.readString(report, StandardCharsets.UTF_8);
        Matcher svg = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(html);

        // then
        assertThat(report).exists().hasFileName("report.html");
        assertThat(html).doesNotContain("<script").doesNotContain("http-equiv").contains("primary", "budget", "429 storm");
        int charts = 0;
        while (svg.find()) {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader(svg.group())));
            assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
            assertThat(doc.getElementsByTagName("rect").getLength()).isGreaterThan(5);
            charts++;
        }
        assertThat(charts).isEqualTo(2);
    }
}
