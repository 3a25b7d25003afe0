package dev.failover4j.benchmarks.soak;

import dev.failover4j.FailoverTarget;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.ChaosStats;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.FaultSchedule;
import java.time.Duration;
import java.util.List;

/**
 * The soak's three chaos servers and their fault schedule, which repeats every minute:
 * <ul>
 *   <li>{@code a} (primary): a hard 503 outage at 0:10–0:25, a 429 storm with Retry-After 2 s at
 *       0:40–0:48, and throughout 2 % connection resets and 2 % malformed bodies.</li>
 *   <li>{@code b}: flapping (503 for 2 s of every 5 s during 0:20–0:50), throughout 2 % hangs,
 *       3 % empty bodies, 2 % 200-with-error-body, and latency (median 20 ms, p99 200 ms).</li>
 *   <li>{@code c}: a 429 storm without Retry-After at 0:05–0:15; streams cut (5 %), stalled (2 %)
 *       or ended by an error event (3 %) mid-answer; 1 % hangs; latency (median 30 ms, p99 300 ms).</li>
 * </ul>
 */
final class SoakServers implements AutoCloseable {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    final ChaosOpenAiServer a = ChaosOpenAiServer.builder().name("a").randomSeed(1).build().start();
    final ChaosOpenAiServer b = ChaosOpenAiServer.builder().name("b").randomSeed(2).build().start();
    final ChaosOpenAiServer c = ChaosOpenAiServer.builder().name("c").randomSeed(3).streamChunkInterval(Duration.ofMillis(5))
            .build().start();

    private final long[] requests = new long[3];
    private final long[] served = new long[3];
    private final java.util.Map<String, Long> faults = new java.util.TreeMap<>();

    SoakServers() {
        applyFaults();
    }

    /**
     * The chaos servers record every request (for assertions in tests), which would grow the heap over
     * a long soak and hide what the client does; this folds their counters into ours, clears the
     * records, and restarts the schedule. Called once a minute, so the 1-minute schedule is unchanged.
     */
    void recycle() {
        ChaosOpenAiServer[] all = {a, b, c};
        for (int i = 0; i < all.length; i++) {
            ChaosStats stats = all[i].stats();
            requests[i] += stats.requests();
            served[i] += stats.served();
            String name = all[i].name();
            stats.faults().forEach((kind, n) -> faults.merge(name + ":" + kind, n, Long::sum));
            all[i].reset();
        }
        applyFaults();
    }

    private void applyFaults() {
        a.schedule(every(10, 15, Fault.httpStatus(503)));
        a.schedule(every(40, 8, Fault.rateLimited(Duration.ofSeconds(2))));
        a.inject(Fault.dropConnection().withProbability(0.02));
        a.inject(Fault.malformedJson().withProbability(0.02));

        for (int s = 20; s < 50; s += 5) {
            b.schedule(every(s, 2, Fault.httpStatus(503)));
        }
        b.inject(Fault.hang().withProbability(0.02));
        b.inject(Fault.emptyBody().withProbability(0.03));
        b.inject(Fault.errorBodyWith200().withProbability(0.02));
        b.inject(Fault.latency(Duration.ofMillis(20), Duration.ofMillis(200)));

        c.schedule(every(5, 10, Fault.rateLimited()));
        c.inject(Fault.streamCutAfter(3).withProbability(0.05));
        c.inject(Fault.streamStallAfter(2).withProbability(0.02));
        c.inject(Fault.streamErrorEventAfter(2).withProbability(0.03));
        c.inject(Fault.hang().withProbability(0.01));
        c.inject(Fault.latency(Duration.ofMillis(30), Duration.ofMillis(300)));
    }

    private static FaultSchedule every(int fromSecond, int seconds, Fault fault) {
        return FaultSchedule.builder().from(Duration.ofSeconds(fromSecond)).lasting(Duration.ofSeconds(seconds))
                .repeatEvery(MINUTE).fault(fault).build();
    }

    List<FailoverTarget> targets() {
        return List.of(target(a), target(b), target(c));
    }

    private static FailoverTarget target(ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(server.name()).baseUrl(server.baseUrl())
                .apiKey("sk-soak-" + server.name() + "-0123456789abcdef").modelName(server.modelName())
                .contextWindowTokens(server.contextWindowTokens()).build();
    }

    /** Call after {@link #recycle()}: totals over the whole run. */
    String stats() {
        return "  requests a/b/c=" + requests[0] + "/" + requests[1] + "/" + requests[2]
                + " served a/b/c=" + served[0] + "/" + served[1] + "/" + served[2] + "\n  faults=" + faults;
    }

    @Override
    public void close() {
        a.close();
        b.close();
        c.close();
    }
}
