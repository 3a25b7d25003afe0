package dev.failover4j.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs one shortened drill with {@code --routing least-latency} (12 s, 6 users, simulated providers): primary and
 * secondary share the first tier. The slow phase shows the routing: the 4×-slower primary loses its traffic to
 * the secondary within a few calls; everything else the drill shows still holds.
 */
class FailoverDrillRoutingTest {

    @TempDir
    static Path reportDir;

    static DrillResult result;

    @BeforeAll
    static void runDrill() throws InterruptedException {
        DrillOptions options = DrillOptions.parse("--duration", "12s", "--users", "6", "--report", reportDir.toString(),
                "--routing", "least-latency");
        result = new FailoverDrill(options, Map.of(), System.out, false).run();
    }

    @Test
    void should_show_no_user_facing_error_with_least_latency_routing() {
        assertThat(result.stats().total().calls()).isGreaterThan(40);
        assertThat(result.stats().total().errors()).isZero();
        assertThat(result.events().exhausted()).isZero();
    }

    @Test
    void should_serve_mostly_from_the_faster_primary_while_every_provider_is_healthy() {
        // a 1.2-s phase: its first concurrent calls also try the secondary, which has no latency sample yet (a
        // target never measured goes first, so that it gets measured); the 60-s run in the README shows 92 %
        assertThat(result.stats().phase(DrillPhase.HEALTHY).share("primary")).isGreaterThan(0.5);
    }

    @Test
    void should_move_traffic_to_the_secondary_when_the_primary_slows_down() {
        // given: the calls that started in the second half of the slow phase (the first half learns the new latency)
        long start = result.timeline().startMillis(DrillPhase.SLOW);
        long end = result.timeline().endMillis(DrillPhase.SLOW);
        List<CallRecord> late = result.stats().records().stream()
                .filter(r -> r.phase() == DrillPhase.SLOW && r.startMillis() >= (start + end) / 2).toList();

        // when
        CallSummary summary = CallSummary.of(late, result.stats().targets());

        // then: least-latency sends most calls to the secondary, now the faster of the two
        assertThat(summary.calls()).isPositive();
        assertThat(summary.share("secondary")).isGreaterThanOrEqualTo(0.6);
    }

    @Test
    void should_keep_the_budget_model_behind_the_shared_first_tier_when_the_primary_is_down() {
        CallSummary outage = result.stats().phase(DrillPhase.OUTAGE);
        assertThat(outage.share("secondary")).isGreaterThan(outage.share("budget"));
    }
}
