package dev.failover4j.samples.aiservice;

import dev.failover4j.samples.support.SampleEndpoint;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverStreamingChatLanguageModel;
import dev.failover4j.FailoverTarget;
import dev.failover4j.OpenAiCompatibleTargetBuilder;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.service.AiServices;
import java.util.List;
import java.util.Map;

/**
 * Drop-in proof: an {@link AiServices} assistant with chat memory, a system message, structured
 * output and a {@code TokenStream}, on {@link FailoverChatLanguageModel} and
 * {@link FailoverStreamingChatLanguageModel}, keeps answering while its primary fails.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl samples/ai-service exec:java}. Without
 * environment variables both models are in-process chaos servers; with
 * {@code FAILOVER_PRIMARY_BASE_URL/_API_KEY/_MODEL/_WINDOW/_JSON_SCHEMA} (and the same for
 * {@code SECONDARY}) they are real OpenAI-compatible endpoints, each behind a chaos proxy that stages
 * the same outage.
 */
public final class AiServiceSample {

    static final int DEFAULT_WINDOW = 16_000;

    private AiServiceSample() {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        try (SampleEndpoint primary = SampleEndpoint.start("primary", DEFAULT_WINDOW, new ConciergeReplies("primary"), env);
                SampleEndpoint secondary = SampleEndpoint.start("secondary", DEFAULT_WINDOW, new ConciergeReplies("secondary"), env)) {
            System.out.println("primary:   " + primary + "\nsecondary: " + secondary);
            List<FailoverTarget> targets = List.of(
                    target(primary, jsonSchema(primary, env)), target(secondary, jsonSchema(secondary, env)));
            ChatMemory memory = MessageWindowChatMemory.withMaxMessages(20);
            ConciergeConversation.run(concierge(targets, memory), primary.chaos(), System.out::println);
            System.out.println("--- memory holds " + memory.messages().size() + " messages");
        }
    }

    /**
     * Both failover models over the same targets, in one AI Service with one memory. Each model keeps
     * its own breakers.
     */
    static Concierge concierge(List<FailoverTarget> targets, ChatMemory memory) {
        return AiServices.builder(Concierge.class)
                .chatModel(FailoverChatLanguageModel.builder().targets(targets).build())
                .streamingChatModel(FailoverStreamingChatLanguageModel.builder().targets(targets).build())
                .chatMemory(memory)
                .build();
    }

    /**
     * A target; with {@code jsonSchema} its chat model declares {@link Capability#RESPONSE_FORMAT_JSON_SCHEMA}.
     * The failover model supports what every target supports, so AI Services sends a JSON schema only
     * when all targets declare it, and otherwise appends format instructions to the user message.
     */
    static FailoverTarget target(SampleEndpoint endpoint, boolean jsonSchema) {
        OpenAiCompatibleTargetBuilder builder = endpoint.target();
        if (jsonSchema) {
            builder.customizeChatModel(chat -> chat.supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                    .strictJsonSchema(true));
        }
        return builder.build();
    }

    /** Chaos servers accept a schema; a real endpoint only when {@code FAILOVER_<NAME>_JSON_SCHEMA=true}. */
    private static boolean jsonSchema(SampleEndpoint endpoint, Map<String, String> env) {
        return !endpoint.live() || Boolean.parseBoolean(env.get("FAILOVER_" + endpoint.name().toUpperCase() + "_JSON_SCHEMA"));
    }
}
