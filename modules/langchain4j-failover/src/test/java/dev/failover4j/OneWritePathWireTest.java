package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.support.RecordingHandler;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every attempt's end reaches the target's state the same way, whoever ran it: a stream that breaks after
 * some chunks counts in the breaker's failure-rate window exactly like a failed sync attempt.
 */
class OneWritePathWireTest {

    private static final String TEXT = "one two three four five six seven eight nine ten";

    private static FailoverTarget target(ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(server.name()).baseUrl(server.baseUrl()).apiKey("sk-test-" + server.name() + "-00000")
                .modelName("gpt-4o-mini").contextWindowTokens(16_000).build();
    }

    @Test
    void should_open_the_breaker_by_its_failure_rate_when_streams_keep_breaking_after_some_chunks() throws Exception {
        try (ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").replyText(TEXT).build().start();
                ChaosOpenAiServer backup = ChaosOpenAiServer.builder().name("backup").replyText(TEXT).build().start()) {
            // given: only the failure-rate rule can open the breaker (3 of the last 4); the consecutive rule cannot
            primary.inject(Fault.streamCutAfter(3));
            FailoverStreamingChatLanguageModel model = FailoverStreamingChatLanguageModel.builder()
                    .targets(target(primary), target(backup))
                    .config(FailoverConfig.builder().consecutiveFailureThreshold(1_000).failureRateThreshold(3, 4).build())
                    .partialResponsePolicy(PartialResponsePolicy.CONTINUE)
                    .build();
            // when: three streams break mid-answer on the primary and are continued by the backup
            for (int i = 0; i < 3; i++) {
                RecordingHandler handler = new RecordingHandler();
                model.chat(ChatRequest.builder().messages(UserMessage.from("q" + i)).build(), handler);
                handler.await(Duration.ofSeconds(10));
                assertThat(handler.error()).isNull();
            }
            int primaryRequests = primary.requestCount();
            RecordingHandler fourth = new RecordingHandler();
            model.chat(ChatRequest.builder().messages(UserMessage.from("q3")).build(), fourth);
            fourth.await(Duration.ofSeconds(10));
            // then
            assertThat(model.health().get(0).circuitState()).isEqualTo(CircuitState.OPEN);
            assertThat(primary.requestCount()).isEqualTo(primaryRequests);
            assertThat(((FailoverChatResponseMetadata) fourth.response().metadata()).targetName()).isEqualTo("backup");
        }
    }
}
