package dev.failover4j.benchmarks;

import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverTarget;
import dev.failover4j.Hedging;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.LatencyDistribution;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Served latency with and without hedging, in one run: a primary whose latency is log-normal (p50 100 ms, p99 2 s,
 * a {@code ChaosOpenAiServer} latency fault) and a healthy backup (p50 100 ms, p99 250 ms), called by N callers
 * through four groups on the same two servers, each caller going round the groups call by call so that machine
 * noise hits all alike: {@code none} (no hedging), {@code p90} ({@code Hedging.atPercentile(0.9)}), {@code 600ms}
 * ({@code Hedging.after(600 ms)}) and {@code 300ms} (a delay too short for the 10 % cap: about 20 % of calls are
 * slower, so the cap must hold). Prints per group p50/p90/p99/max of the served latency, hedges as a share of
 * calls, hedges won, errors, and each group's p99 over the unhedged p99 (goal ≤ 0.5 with hedges ≤ 10 % of calls).
 *
 * <p>Run: {@code mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests &&
 * java -cp modules/langchain4j-failover-benchmarks/target/benchmarks.jar dev.failover4j.benchmarks.HedgingDriver [callsPerGroup=2000] [callers=8]}
 */
public final class HedgingDriver {

    private static final Map<String, Hedging> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("none", null);
        GROUPS.put("p90", Hedging.atPercentile(0.9));
        GROUPS.put("600ms", Hedging.after(Duration.ofMillis(600)));
        GROUPS.put("300ms", Hedging.after(Duration.ofMillis(300)));
    }

    public static void main(String[] args) throws InterruptedException {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        try (ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").replyText("p").randomSeed(7).build().start();
             ChaosOpenAiServer backup = ChaosOpenAiServer.builder().name("backup").replyText("b").randomSeed(11).build().start()) {
            primary.inject(Fault.latency(LatencyDistribution.logNormal(Duration.ofMillis(100), Duration.ofSeconds(2))));
            backup.inject(Fault.latency(LatencyDistribution.logNormal(Duration.ofMillis(100), Duration.ofMillis(250))));
            List<Run> runs = new ArrayList<>();
            for (Map.Entry<String, Hedging> entry : GROUPS.entrySet()) {
                runs.add(new Run(entry.getKey(), group(entry.getValue(), primary, backup), calls));
            }
            warmUp(runs);
            CountDownLatch done = new CountDownLatch(callers);
            AtomicLong next = new AtomicLong();
            long start = System.nanoTime();
            for (int c = 0; c < callers; c++) {
                Thread caller = new Thread(() -> {
                    try {
                        for (long i = next.getAndIncrement(); i < calls; i = next.getAndIncrement()) {
                            for (int k = 0; k < runs.size(); k++) {
                                runs.get((int) ((i + k) % runs.size())).call((int) i); // each caller starts at another group
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                }, "hedging-caller-" + c);
                caller.setDaemon(true);
                caller.start();
            }
            done.await();
            System.out.printf(Locale.ROOT, "%d calls per group, %d callers, %.0f s; primary requests %d, backup requests %d%n",
                    calls, callers, (System.nanoTime() - start) / 1e9, primary.requestCount(), backup.requestCount());
            long baseP99 = runs.get(0).percentile(0.99);
            for (Run run : runs) {
                run.print(baseP99);
                run.group.close();
            }
        }
    }

    private static FailoverGroup group(Hedging hedging, ChaosOpenAiServer primary, ChaosOpenAiServer backup) {
        FailoverGroup.Builder builder = FailoverGroup.builder().targets(target(primary), target(backup))
                .attemptTimeout(Duration.ofSeconds(10)).deadline(Duration.ofSeconds(30));
        return (hedging == null ? builder : builder.hedging(hedging)).build();
    }

    private static FailoverTarget target(ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(server.name()).baseUrl(server.baseUrl()).apiKey("sk-bench-" + server.name() + "-0000")
                .modelName("gpt-4o-mini").contextWindowTokens(16_000).build();
    }

    /** 200 calls per group before measuring: JIT, connections, and the p90 group's first latency samples. */
    private static void warmUp(List<Run> runs) {
        for (Run run : runs) {
            for (int i = 0; i < 200; i++) {
                run.model.chat(UserMessage.from("warm-up " + i));
            }
            run.hedges.reset();
            run.won.reset();
        }
    }

    /** One group's calls and what they cost. */
    private static final class Run {
        final String name;
        final FailoverGroup group;
        final ChatModel model;
        final long[] nanos;
        final LongAdder hedges = new LongAdder();
        final LongAdder won = new LongAdder();
        final LongAdder errors = new LongAdder();

        Run(String name, FailoverGroup group, int calls) {
            this.name = name;
            this.group = group;
            this.model = group.chatModel();
            this.nanos = new long[calls];
            group.addListener(event -> {
                if (event instanceof FailoverEvent.HedgeStarted) {
                    hedges.increment();
                } else if (event instanceof FailoverEvent.HedgeWon) {
                    won.increment();
                }
            });
        }

        void call(int i) {
            long start = System.nanoTime();
            try {
                model.chat(UserMessage.from("question " + i));
            } catch (RuntimeException e) {
                errors.increment();
            }
            nanos[i] = System.nanoTime() - start;
        }

        long percentile(double p) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
        }

        void print(long baseP99) {
            long p99 = percentile(0.99);
            System.out.printf(Locale.ROOT, "%-6s p50=%5.0f ms p90=%5.0f ms p99=%5.0f ms max=%5.0f ms | hedges=%4d (%.1f %% of calls), "
                            + "won %d | errors=%d | p99 vs none=%.2f%n", name, percentile(0.5) / 1e6, percentile(0.9) / 1e6,
                    p99 / 1e6, percentile(1.0) / 1e6, hedges.sum(), 100.0 * hedges.sum() / nanos.length, won.sum(), errors.sum(),
                    (double) p99 / baseP99);
        }
    }
}
