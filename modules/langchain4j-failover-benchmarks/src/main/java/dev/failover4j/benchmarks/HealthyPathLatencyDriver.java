package dev.failover4j.benchmarks;

import dev.failover4j.FailoverChatLanguageModel;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.Arrays;

/**
 * Healthy-path latency of the failover model against calling the same {@code OpenAiChatModel}
 * directly, over loopback HTTP, interleaved call by call in one run so that machine noise hits both
 * alike. Prints median and p99 of each and their ratios.
 *
 * <p>Run: {@code mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests &&
 * java -cp modules/langchain4j-failover-benchmarks/target/benchmarks.jar dev.failover4j.benchmarks.HealthyPathLatencyDriver 5000}
 */
public final class HealthyPathLatencyDriver {

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int warmup = Math.max(500, calls / 5);
        try (LoopbackOpenAi server = new LoopbackOpenAi()) {
            var target = OutageDriver.target("primary", server);
            ChatModel direct = target.chatModel();
            ChatModel failover = FailoverChatLanguageModel.builder().targets(target).build();
            ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hello")).build();
            for (int i = 0; i < warmup; i++) {
                direct.chat(request);
                failover.chat(request);
            }
            long[] directNanos = new long[calls];
            long[] failoverNanos = new long[calls];
            for (int i = 0; i < calls; i++) {
                boolean directFirst = (i & 1) == 0; // alternate order so neither always runs on a warmer connection
                if (directFirst) {
                    directNanos[i] = time(direct, request);
                    failoverNanos[i] = time(failover, request);
                } else {
                    failoverNanos[i] = time(failover, request);
                    directNanos[i] = time(direct, request);
                }
            }
            Arrays.sort(directNanos);
            Arrays.sort(failoverNanos);
            long d50 = directNanos[calls / 2], f50 = failoverNanos[calls / 2];
            long d99 = directNanos[(int) (calls * 0.99)], f99 = failoverNanos[(int) (calls * 0.99)];
            System.out.printf("calls=%d direct p50=%d us p99=%d us | failover p50=%d us p99=%d us | "
                            + "ratio p50=%.3f p99=%.3f | added p50=%d us%n",
                    calls, d50 / 1000, d99 / 1000, f50 / 1000, f99 / 1000, (double) f50 / d50, (double) f99 / d99,
                    (f50 - d50) / 1000);
        }
    }

    private static long time(ChatModel model, ChatRequest request) {
        long start = System.nanoTime();
        model.chat(request);
        return System.nanoTime() - start;
    }
}
