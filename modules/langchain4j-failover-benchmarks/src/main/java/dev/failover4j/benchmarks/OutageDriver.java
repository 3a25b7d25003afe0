package dev.failover4j.benchmarks;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.FailoverTarget;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * How many calls reach a dead primary during an outage, and how many users see an error.
 * Sequential calls, primary answering 503 to everything, secondary healthy.
 *
 * <p>Run: {@code mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests &&
 * java -cp modules/langchain4j-failover-benchmarks/target/benchmarks.jar dev.failover4j.benchmarks.OutageDriver 1000}
 */
public final class OutageDriver {

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        try (LoopbackOpenAi primary = new LoopbackOpenAi(); LoopbackOpenAi secondary = new LoopbackOpenAi()) {
            primary.down(true);
            FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                    .targets(target("primary", primary), target("secondary", secondary))
                    .build();
            int errors = 0;
            int bySecondary = 0;
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                try {
                    ChatResponse response = model.chat(UserMessage.from("question " + i));
                    if ("secondary".equals(((FailoverChatResponseMetadata) response.metadata()).targetName())) {
                        bySecondary++;
                    }
                } catch (RuntimeException e) {
                    errors++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("calls=%d user-facing errors=%d served by secondary=%d requests reaching dead primary=%d "
                            + "(%.2f%% of calls) elapsed=%.1f s%n",
                    calls, errors, bySecondary, primary.requests(), 100.0 * primary.requests() / calls, seconds);
        }
    }

    static FailoverTarget target(String name, LoopbackOpenAi server) {
        return FailoverTarget.openAiCompatible(name).baseUrl(server.baseUrl()).apiKey("sk-bench-" + name + "-000000")
                .modelName("m").contextWindowTokens(8_000).build();
    }
}
