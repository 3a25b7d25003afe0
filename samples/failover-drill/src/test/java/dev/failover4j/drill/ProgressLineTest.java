package dev.failover4j.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.CircuitState;
import dev.failover4j.SkipReason;
import dev.failover4j.health.TargetHealthSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private static final List<TargetHealthSnapshot> HEALTH = List.of(
            new TargetHealthSnapshot("primary", CircuitState.OPEN, SkipReason.CIRCUIT_OPEN, Instant.EPOCH, null, 5),
            new TargetHealthSnapshot("secondary", CircuitState.CLOSED, null, null, Instant.EPOCH, 0),
            new TargetHealthSnapshot("budget", CircuitState.HALF_OPEN, null, null, null, 0));

    @Test
    void should_show_phase_rate_shares_breakers_and_errors_when_rendered() {
        // given
        CallSummary lastSecond = new CallSummary(20, 0, 150, 400,
                Map.of("primary", 0L, "secondary", 15L, "budget", 5L), BigDecimal.ZERO);

        // when
        String line = ProgressLine.render(DrillPhase.RATE_LIMIT_STORM, 23_400, 60_000, lastSecond, 0,
                List.of("primary", "secondary", "budget"), HEALTH);

        // then
        assertThat(line).isEqualTo("[ 23s/60s] 429 storm |  20 req/s | primary   0% secondary  75% budget  25% "
                + "| breakers primary OPEN secondary 429-wait budget half-open | errors 0");
    }

    @Test
    void should_print_one_line_per_tick_when_not_a_terminal() {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine progress = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
                new DrillStats(List.of("primary")), new DrillClock(), 10_000, () -> HEALTH.subList(0, 1));

        // when
        progress.tick();
        progress.tick();
        progress.finish();

        // then
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("\r").hasLineCount(2);
    }

    @Test
    void should_rewrite_the_line_in_place_when_on_a_terminal() {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine progress = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true,
                new DrillStats(List.of("primary")), new DrillClock(), 10_000, () -> HEALTH.subList(0, 1));

        // when
        progress.tick();
        progress.tick();
        progress.finish();

        // then
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\r[").contains("\r[  0s/10s]").endsWith(System.lineSeparator());
        assertThat(out.strip()).doesNotContain("\n");
    }
}
