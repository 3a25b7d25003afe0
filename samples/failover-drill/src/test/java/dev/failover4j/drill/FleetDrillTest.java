package dev.failover4j.drill;

import dev.failover4j.testkit.LocalRedisServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drill with its users spread over 4 replicas, once each replica on its own and once sharing state through a
 * local redis-server ({@code --redis local}): the shared outage spares the primary. Needs Debian's redis-server:
 * under {@code CI=true} a missing one fails the test ({@code .ci/run} installs it), elsewhere it is skipped loudly.
 */
class FleetDrillTest {

    @TempDir
    static Path reportDir;

    static DrillResult unshared;
    static DrillResult shared;

    @BeforeAll
    static void runDrills() throws InterruptedException {
        if (!LocalRedisServer.installed()) {
            String message = "redis-server is not installed: the fleet drill needs it. Run `bash .ci/run` (installs it).";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: failing instead of skipping)");
            }
            System.err.println("\n*** SKIPPED: " + message + " ***\n");
            Assumptions.abort(message);
        }
        unshared = drill("--replicas", "4");
        shared = drill("--replicas", "4", "--redis", "local");
    }

    private static DrillResult drill(String... fleet) throws InterruptedException {
        String[] args = new String[6 + fleet.length];
        System.arraycopy(new String[] {"--duration", "10s", "--users", "8", "--report", reportDir.toString()}, 0, args, 0, 6);
        System.arraycopy(fleet, 0, args, 6, fleet.length);
        return new FailoverDrill(DrillOptions.parse(args), Map.of(), System.out, false).run();
    }

    @Test
    void should_lose_no_call_when_the_users_are_spread_over_replicas_with_or_without_redis() {
        assertThat(unshared.stats().total().errors()).isZero();
        assertThat(shared.stats().total().errors()).isZero();
        assertThat(shared.stats().total().calls()).isGreaterThan(30);
    }

    @Test
    void should_send_the_primary_fewer_requests_during_the_outage_when_the_replicas_share_redis() {
        long alone = unshared.stats().providerRequests(DrillPhase.OUTAGE, "primary");
        long together = shared.stats().providerRequests(DrillPhase.OUTAGE, "primary");
        System.out.printf("outage: the primary got %d requests from 4 replicas on their own, %d from 4 sharing Redis%n", alone, together);
        assertThat(together).isLessThan(alone);
    }
}
