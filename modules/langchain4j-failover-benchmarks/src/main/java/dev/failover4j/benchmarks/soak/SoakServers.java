package dev.failover4j.benchmarks.soak;

import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.ChaosStats;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.FaultSchedule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The soak's three chaos servers and their fault schedule, one {@link #CYCLE} long, restarted by
 * {@link #recycle()} at the end of every cycle:
 * <ul>
 *   <li>{@code a} (primary): a hard 503 outage at 0:02–0:08 of the cycle, a 429 storm with
 *       Retry-After 2 s at 0:12–0:15, and throughout 2 % connection resets and 2 % malformed bodies.</li>
 *   <li>{@code b}: flapping (503 during 0:06–0:07, 0:09–0:10, 0:12–0:13, 0:15–0:16), throughout
 *       2 % hangs (20 s), 3 % empty bodies, 2 % 200-with-error-body, latency median 20 ms / p99 200 ms.</li>
 *   <li>{@code c}: a 429 storm without Retry-After at 0:04–0:09; streams cut (5 %), stalled (2 %) or
 *       ended by an error event (3 %) mid-answer; 1 % hangs (20 s); latency median 30 ms / p99 300 ms.</li>
 * </ul>
 */
final class SoakServers implements AutoCloseable {

    static final Duration CYCLE = Duration.ofSeconds(20);

    final ChaosOpenAiServer a = ChaosOpenAiServer.builder().name("a").randomSeed(1).build().start();
    final ChaosOpenAiServer b = ChaosOpenAiServer.builder().name("b").randomSeed(2).build().start();
    final ChaosOpenAiServer c = ChaosOpenAiServer.builder().name("c").randomSeed(3).streamChunkInterval(Duration.ofMillis(5))
            .build().start();
    private final ChaosOpenAiServer[] all = {a, b, c};
    private final long[] requests = new long[3];
    private final long[] served = new long[3];
    private final Map<String, Long> faults = new TreeMap<>();

    SoakServers() {
        applyFaults();
    }

    /**
     * The chaos servers record every request for test assertions (and MockWebServer keeps its own
     * queue of them), which would grow this JVM's heap over a long soak and hide what the client does.
     * This folds their counters into ours, {@link ChaosOpenAiServer#reset() resets} them (records and
     * MockWebServer's queue dropped) and restarts the schedule (a new cycle).
     */
    void recycle() {
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
        a.schedule(window(2, 6, Fault.httpStatus(503)));
        a.schedule(window(12, 3, Fault.rateLimited(Duration.ofSeconds(2))));
        a.inject(Fault.dropConnection().withProbability(0.02));
        a.inject(Fault.malformedJson().withProbability(0.02));

        for (int s = 6; s <= 15; s += 3) {
            b.schedule(window(s, 1, Fault.httpStatus(503)));
        }
        b.inject(hang().withProbability(0.02));
        b.inject(Fault.emptyBody().withProbability(0.03));
        b.inject(Fault.errorBodyWith200().withProbability(0.02));
        b.inject(Fault.latency(Duration.ofMillis(20), Duration.ofMillis(200)));

        c.schedule(window(4, 5, Fault.rateLimited()));
        c.inject(Fault.streamCutAfter(3).withProbability(0.05));
        c.inject(Fault.streamStallAfter(2).withProbability(0.02));
        c.inject(Fault.streamErrorEventAfter(2).withProbability(0.03));
        c.inject(hang().withProbability(0.01));
        c.inject(Fault.latency(Duration.ofMillis(30), Duration.ofMillis(300)));
    }

    /**
     * A hang as the client sees it (nothing for far longer than its 2 s attempt timeout) that the server
     * gives up after 20 s. {@code Fault.hang()} holds the server side of the connection (thread, socket,
     * buffers) until the server closes, even after the client left, so over a long soak it exhausts the
     * chaos servers' JVM and turns every fault into "slow server".
     */
    static Fault hang() {
        return Fault.latency(Duration.ofSeconds(20));
    }

    private static FaultSchedule window(int fromSecond, int seconds, Fault fault) {
        return FaultSchedule.builder().from(Duration.ofSeconds(fromSecond)).lasting(Duration.ofSeconds(seconds))
                .fault(fault).build();
    }

    /**
     * Runs the servers in their own JVM, so that the soak's heap, thread and descriptor samples show the
     * client alone: prints {@code urls <a> <b> <c>}, recycles every {@link #CYCLE}, answers the line
     * {@code stats} on stdin with the totals and this JVM's heap after GC, and exits at end of input.
     */
    public static void main(String[] args) throws Exception {
        try (SoakServers servers = new SoakServers()) {
            System.out.println("urls " + servers.a.baseUrl() + " " + servers.b.baseUrl() + " " + servers.c.baseUrl());
            System.out.flush();
            java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                    .newSingleThreadScheduledExecutor();
            timer.scheduleAtFixedRate(() -> {
                try {
                    synchronized (servers) {
                        servers.recycle();
                    }
                } catch (RuntimeException | Error e) {
                    exitOn(e); // a schedule that silently stopped would turn the rest of the soak into a healthy run
                }
            }, CYCLE.toMillis(), CYCLE.toMillis(), TimeUnit.MILLISECONDS);
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("stats")) {
                    try {
                        synchronized (servers) {
                            servers.recycle();
                            System.gc();
                            long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                            System.out.println(servers.stats() + "\n  chaos-server JVM: heap after GC " + heap / 1_000_000
                                    + " MB, threads " + Thread.activeCount());
                            System.out.println("missing " + String.join(" ", servers.missingFaults()));
                            System.out.println("end");
                            System.out.flush();
                        }
                    } catch (RuntimeException | Error e) {
                        exitOn(e);
                    }
                }
            }
            timer.shutdownNow();
        }
    }

    /** Ends this JVM, so that the soak sees its servers gone instead of waiting on a half-dead process. */
    private static void exitOn(Throwable e) {
        System.err.println("chaos servers failed:");
        e.printStackTrace();
        System.err.flush();
        Runtime.getRuntime().halt(3);
    }

    /** Every fault the schedule injects, as {@code server:KIND}: the soak fails a run in which one never happened. */
    static final Set<String> SCHEDULED_FAULTS = Set.of(
            "a:HTTP_STATUS", "a:RATE_LIMITED", "a:DROP_CONNECTION", "a:MALFORMED_JSON",
            "b:HTTP_STATUS", "b:LATENCY", "b:EMPTY_BODY", "b:ERROR_BODY_WITH_200",
            "c:RATE_LIMITED", "c:LATENCY", "c:STREAM_CUT", "c:STREAM_STALL", "c:STREAM_ERROR_EVENT");

    /** Call after {@link #recycle()}: the scheduled faults that were never injected (all of them happen every cycle). */
    Set<String> missingFaults() {
        Set<String> missing = new TreeSet<>(SCHEDULED_FAULTS);
        faults.forEach((kind, n) -> {
            if (n > 0) {
                missing.remove(kind);
            }
        });
        return missing;
    }

    /** Call after {@link #recycle()}: totals over the whole run. */
    String stats() {
        return "  requests a/b/c=" + requests[0] + "/" + requests[1] + "/" + requests[2]
                + " served a/b/c=" + served[0] + "/" + served[1] + "/" + served[2] + "\n  faults=" + faults;
    }

    @Override
    public void close() {
        for (ChaosOpenAiServer server : all) {
            server.close();
        }
    }
}
