package dev.failover4j.benchmarks;

import dev.failover4j.testkit.LocalRedisServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Test;

/**
 * Each hand-run driver, for a few seconds with tiny arguments, so that a change elsewhere cannot leave
 * a driver broken until the next person runs it by hand. Only what does not depend on the machine's
 * speed is asserted: the drivers ran, printed their report, and the failover model lost no call.
 */
class DriversSmokeTest {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @Test
    void should_serve_every_call_from_the_secondary_and_send_a_handful_to_the_dead_primary_when_the_outage_driver_runs() {
        String out = printedBy(() -> OutageDriver.main(new String[] {"200"}));

        assertThat(out).contains("calls=200 user-facing errors=0 served by secondary=200");
        int reachingPrimary = Integer.parseInt(out.replaceAll("(?s).*requests reaching dead primary=(\\d+).*", "$1"));
        assertThat(reachingPrimary).as("the breaker opens after 5 consecutive failures; retries add a few").isBetween(1, 10);
    }

    @Test
    void should_report_every_phase_of_the_three_systems_without_a_user_facing_error_when_the_router_comparison_runs() {
        String out = printedBy(() -> RouterComparisonDriver.main(new String[] {"2", "2", "2", "50"}));

        assertThat(out).contains("failover4j FailoverChatLanguageModel (defaults)", "model-router FailoverStrategy, OpenAiChatModel maxRetries=2",
                "model-router FailoverStrategy, OpenAiChatModel maxRetries=0");
        String ours = out.substring(out.indexOf("failover4j"), out.indexOf("model-router"));
        assertThat(ours).contains("flaky", "outage", "recovered").doesNotContainPattern("user-facing errors=\\s*[1-9]");
    }

    @Test
    void should_print_medians_and_ratios_when_the_healthy_path_latency_driver_runs_against_the_raw_server() {
        String out = printedBy(() -> HealthyPathLatencyDriver.main(new String[] {"50", "raw", "100"}));

        assertThat(out).contains("raw").containsPattern("(?i)ratio");
    }

    @Test
    void should_report_both_comparisons_without_a_failover_error_when_the_interleaved_throughput_driver_runs() {
        String out = printedBy(() -> InterleavedThroughputDriver.main(new String[] {"raw", "1", "1", "1,4", "1"}));

        assertThat(out).contains("threads= 1 failover vs direct", "threads= 4 failover vs direct",
                "threads= 4 A/A control (direct vs direct)").containsPattern("median ratio=\\d\\.\\d{4}");
        assertThat(out).doesNotContainPattern("failover vs direct .*\\n.*errors \\d+ vs [1-9]");
    }

    @Test
    void should_lose_no_call_in_any_phase_when_the_fleet_driver_runs_two_replica_jvms_on_redis() {
        requireRedisServer();
        String out = printedBy(() -> FleetDriver.main(new String[] {"2", "1", "1000", "5"}));

        assertThat(out).contains("dead primary: one replica alone", "budget 600 per 1000-ms window", "Redis killed for 1 s")
                .contains("user-facing errors 0 / 0 / 0 of");
        assertThat(out.split("user-facing errors 0 of", -1)).as("no error in the budget and Redis-down phases").hasSize(3);
    }

    /** Fails under CI=true (which installs redis-server: .ci/run), else skips loudly, when redis-server is missing. */
    private static void requireRedisServer() {
        if (LocalRedisServer.installed()) {
            return;
        }
        String message = "redis-server is not installed: the fleet driver needs it. Run `bash .ci/run` (installs it).";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            org.junit.jupiter.api.Assertions.fail(message + " (CI=true: failing instead of skipping)");
        }
        System.err.println("\n*** SKIPPED: " + message + " ***\n");
        org.junit.jupiter.api.Assumptions.abort(message);
    }

    /** Runs a driver's main with {@code System.out} captured (and still echoed), within {@link #LIMIT}. */
    private static String printedBy(Executable driver) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new TeeStream(captured, original), true, StandardCharsets.UTF_8));
        try {
            assertTimeoutPreemptively(LIMIT, driver);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
