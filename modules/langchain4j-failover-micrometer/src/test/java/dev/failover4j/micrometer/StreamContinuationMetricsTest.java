package dev.failover4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverTarget;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stream cut mid-answer and continued by the next target counts under the target whose stream broke. */
class StreamContinuationMetricsTest {

    private static FailoverTarget target(ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(server.name()).baseUrl(server.baseUrl()).apiKey("sk-test-" + server.name() + "-000000")
                .modelName("gpt-4o-mini").contextWindowTokens(16_000).build();
    }

    @Test
    void should_count_a_continuation_under_the_target_whose_stream_broke_when_the_next_target_finishes_the_answer()
            throws Exception {
        try (ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary")
                        .replyText("one two three four five six seven eight").build().start();
                ChaosOpenAiServer backup = ChaosOpenAiServer.builder().name("backup").replyText("four five six seven eight").build().start();
                FailoverGroup group = FailoverGroup.builder().targets(target(primary), target(backup)).maxRetries(0).build()) {
            // given
            primary.inject(Fault.streamCutAfter(3));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            FailoverMetrics.bind(group, registry);
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            // when
            group.streamingChatModel().chat(ChatRequest.builder().messages(UserMessage.from("count")).build(),
                    new StreamingChatResponseHandler() {
                        @Override
                        public void onPartialResponse(String partialResponse) {}

                        @Override
                        public void onCompleteResponse(ChatResponse completeResponse) {
                            done.complete(completeResponse);
                        }

                        @Override
                        public void onError(Throwable error) {
                            done.completeExceptionally(error);
                        }
                    });
            done.get(10, TimeUnit.SECONDS);
            // then
            assertThat(registry.get(FailoverMetrics.STREAM_CONTINUATIONS).tag("target", "primary").counter().count()).isEqualTo(1.0);
            assertThat(registry.find(FailoverMetrics.STREAM_CONTINUATIONS).tag("target", "backup").counter()).isNull();
        }
    }
}
