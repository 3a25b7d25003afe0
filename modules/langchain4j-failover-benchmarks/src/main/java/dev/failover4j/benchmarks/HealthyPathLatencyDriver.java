package dev.failover4j.benchmarks;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverTarget;
import dev.failover4j.RoutingStrategy;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Healthy-path latency of the failover model against calling the same {@code OpenAiChatModel}
 * directly, over loopback HTTP, interleaved call by call in one run so that machine noise hits both
 * alike. Prints median and p99 of each and their ratios, and the median CPU time the calling thread
 * spent per call (where the failover model's own work shows, apart from waiting), for two servers:
 * <ul>
 *   <li>{@code mockwebserver}: MockWebServer ({@link LoopbackOpenAi}); its separate header and body
 *       writes meet delayed ACK on loopback, a ~44 ms floor per call that hides everything else;</li>
 *   <li>{@code raw}: {@link RawOpenAi}, one write per response and {@code TCP_NODELAY}, no floor.</li>
 * </ul>
 *
 * <p>Run: {@code mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests &&
 * java -cp modules/langchain4j-failover-benchmarks/target/benchmarks.jar dev.failover4j.benchmarks.HealthyPathLatencyDriver 5000 [raw|mockwebserver|both] [rawWarmupCalls=30000] [none|weighted|leastLatency]}
 *
 * <p>With a routing strategy the failover model is a group of two targets on the same server in one tier (weights
 * 3 and 1) routed by it, against the first target's model called directly: the routing decision's share of a call.
 */
public final class HealthyPathLatencyDriver {

    /**
     * Warm-up calls per path against the raw server. C2 compiles a method after ~10,000 invocations; with
     * a 1,600-call warm-up (this driver's first version) most of the HTTP client and of the failover path
     * still ran as profiled C1 code, which doubled the direct call (≈ 320 µs instead of ≈ 140 µs) and
     * multiplied the failover path's cost by 4–5.
     */
    static final int RAW_WARMUP_CALLS = 30_000;

    private static final java.lang.management.ThreadMXBean THREAD_CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        String servers = args.length > 1 ? args[1] : "both";
        int rawWarmup = args.length > 2 ? Integer.parseInt(args[2]) : RAW_WARMUP_CALLS;
        String routing = args.length > 3 ? args[3] : "none";
        if (!servers.equals("raw")) {
            try (LoopbackOpenAi server = new LoopbackOpenAi()) {
                run("mockwebserver", routing, name -> OutageDriver.target(name, server), calls, Math.max(500, calls / 5));
            }
        }
        if (!servers.equals("mockwebserver")) {
            try (RawOpenAi server = new RawOpenAi()) {
                // ~0.15 ms a call: more calls, same time
                run("raw", routing, name -> target(name, server.baseUrl()), calls * 4, rawWarmup);
            }
        }
    }

    private static void run(String server, String routing, Function<String, FailoverTarget> targets, int calls, int warmup) {
        if (routing.equals("none")) {
            FailoverTarget target = targets.apply("primary");
            run(server, target.chatModel(), FailoverChatLanguageModel.builder().targets(target).build(), calls, warmup);
            return;
        }
        RoutingStrategy strategy = switch (routing) {
            case "weighted" -> RoutingStrategy.weighted();
            case "leastLatency" -> RoutingStrategy.leastLatency();
            default -> throw new IllegalArgumentException("routing is none, weighted or leastLatency, not " + routing);
        };
        FailoverTarget first = tiered(targets.apply("first"), 3);
        try (FailoverGroup group = FailoverGroup.builder().targets(first, tiered(targets.apply("second"), 1))
                .routing(strategy).build()) {
            run(server + " routing=" + routing, first.chatModel(), group.chatModel(), calls, warmup);
        }
    }

    /** The same target (same model, same server) in tier 0 with a weight. */
    private static FailoverTarget tiered(FailoverTarget target, int weight) {
        return FailoverTarget.builder().name(target.name()).chatModel(target.chatModel()).modelName(target.modelName().orElse(null))
                .contextWindowTokens(target.contextWindowTokens()).priority(0).weight(weight).build();
    }

    static FailoverTarget target(String name, String baseUrl) {
        return FailoverTarget.openAiCompatible(name).baseUrl(baseUrl).apiKey("sk-bench-" + name + "-000000")
                .modelName("m").contextWindowTokens(8_000).build();
    }

    private static void run(String server, ChatModel direct, ChatModel failover, int calls, int warmup) {
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hello")).build();
        for (int i = 0; i < warmup; i++) {
            direct.chat(request);
            failover.chat(request);
        }
        long[] directNanos = new long[calls];
        long[] failoverNanos = new long[calls];
        long[] directCpu = new long[calls];
        long[] failoverCpu = new long[calls];
        for (int i = 0; i < calls; i++) {
            boolean directFirst = (i & 1) == 0; // alternate order so neither always runs on a warmer connection
            for (int k = 0; k < 2; k++) {
                boolean isDirect = directFirst == (k == 0);
                long cpu = THREAD_CPU.getCurrentThreadCpuTime();
                long wall = time(isDirect ? direct : failover, request);
                cpu = THREAD_CPU.getCurrentThreadCpuTime() - cpu;
                (isDirect ? directNanos : failoverNanos)[i] = wall;
                (isDirect ? directCpu : failoverCpu)[i] = cpu;
            }
        }
        Arrays.sort(directNanos);
        Arrays.sort(failoverNanos);
        Arrays.sort(directCpu);
        Arrays.sort(failoverCpu);
        long d50 = directNanos[calls / 2], f50 = failoverNanos[calls / 2];
        long d99 = directNanos[(int) (calls * 0.99)], f99 = failoverNanos[(int) (calls * 0.99)];
        System.out.printf("server=%s calls=%d direct p50=%.1f us p99=%.1f us | failover p50=%.1f us p99=%.1f us | "
                        + "ratio p50=%.3f p99=%.3f | added p50=%.1f us | caller CPU p50 direct=%.1f us failover=%.1f us%n",
                server, calls, d50 / 1e3, d99 / 1e3, f50 / 1e3, f99 / 1e3, (double) f50 / d50, (double) f99 / d99,
                (f50 - d50) / 1e3, directCpu[calls / 2] / 1e3, failoverCpu[calls / 2] / 1e3);
    }

    private static long time(ChatModel model, ChatRequest request) {
        long start = System.nanoTime();
        model.chat(request);
        return System.nanoTime() - start;
    }
}
