package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.TokenStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Both failover models inside LangChain4j AI Services: the serving target is readable, streams survive a cut. */
class AiServicesWireTest {

    private static final String SENTENCE = "Failover keeps the answer flowing when a provider drops the stream.";

    interface Assistant {
        Result<String> chat(String message);
    }

    interface StreamingAssistant {
        TokenStream chat(String message);
    }

    private static FailoverTarget target(ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(server.name()).baseUrl(server.baseUrl()).apiKey("sk-test-" + server.name() + "-00000")
                .modelName("gpt-4o-mini").contextWindowTokens(16_000).build();
    }

    @Test
    void should_expose_the_serving_target_through_result_final_response_when_the_primary_fails() {
        try (ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").build().start();
                ChaosOpenAiServer secondary = ChaosOpenAiServer.builder().name("secondary").replyText("from secondary").build().start()) {
            // given
            primary.inject(Fault.httpStatus(500));
            Assistant assistant = AiServices.builder(Assistant.class)
                    .chatModel(FailoverChatLanguageModel.builder().targets(target(primary), target(secondary)).build())
                    .chatMemory(MessageWindowChatMemory.withMaxMessages(10))
                    .build();
            // when
            Result<String> result = assistant.chat("hello");
            // then
            assertThat(result.content()).isEqualTo("from secondary");
            assertThat(result.finalResponse().metadata()).isInstanceOfSatisfying(FailoverChatResponseMetadata.class,
                    metadata -> assertThat(metadata.targetName()).isEqualTo("secondary"));
            assertThat(result.tokenUsage().inputTokenCount()).isPositive();
        }
    }

    @Test
    void should_complete_a_token_stream_whose_primary_is_cut_mid_answer() throws Exception {
        try (ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").replyText(SENTENCE).build().start();
                ChaosOpenAiServer secondary = ChaosOpenAiServer.builder().name("secondary")
                        .reply(request -> dev.failover4j.testkit.Reply.text(SENTENCE.substring(
                                request.partialAnswer().orElse("").length())))
                        .build().start()) {
            // given
            primary.inject(Fault.streamCutAfter(5));
            StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class)
                    .streamingChatModel(FailoverStreamingChatLanguageModel.builder().targets(target(primary), target(secondary)).build())
                    .build();
            List<String> partials = new CopyOnWriteArrayList<>();
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            // when
            assistant.chat("explain failover")
                    .onPartialResponse(partials::add)
                    .onCompleteResponse(done::complete)
                    .onError(done::completeExceptionally)
                    .start();
            ChatResponse response = done.get(20, TimeUnit.SECONDS);
            // then
            assertThat(String.join("", partials)).isEqualTo(SENTENCE);
            assertThat(response.aiMessage().text()).isEqualTo(SENTENCE);
            assertThat(((FailoverChatResponseMetadata) response.metadata()).servedBy()).containsExactly("primary", "secondary");
        }
    }
}
