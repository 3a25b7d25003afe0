package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.support.RecordingHandler;
import dev.langchain4j.data.message.UserMessage;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** A malformed chunk inside a 200 stream is a break, not an answer. */
class StreamingMalformedChunkWireTest {

    private static String chunk(String content) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n";
    }

    private static MockResponse sse(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream").body(body).build();
    }

    @Test
    void should_continue_on_the_next_target_when_a_chunk_is_malformed() throws Exception {
        try (MockWebServer primary = new MockWebServer(); MockWebServer secondary = new MockWebServer()) {
            // given
            primary.enqueue(sse(chunk("Hello") + "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\n\n" + chunk(" ignored") + "data: [DONE]\n\n"));
            secondary.enqueue(sse(chunk(" world") + "data: {\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
            primary.start();
            secondary.start();
            FailoverStreamingChatLanguageModel model = FailoverStreamingChatLanguageModel.builder()
                    .targets(target("primary", primary), target("secondary", secondary))
                    .idleTimeout(Duration.ofSeconds(2))
                    .build();
            RecordingHandler handler = new RecordingHandler();
            // when
            model.chat(List.of(UserMessage.from("greet")), handler);
            handler.await(Duration.ofSeconds(15));
            // then
            assertThat(handler.error()).isNull();
            assertThat(handler.text()).isEqualTo("Hello world");
            assertThat(((FailoverChatResponseMetadata) handler.response().metadata()).servedBy())
                    .containsExactly("primary", "secondary");
        }
    }

    private static FailoverTarget target(String name, MockWebServer server) {
        return FailoverTarget.openAiCompatible(name).baseUrl(server.url("/v1").toString()).apiKey("sk-test-" + name + "-00000")
                .modelName("gpt-4o-mini").contextWindowTokens(16_000).build();
    }
}
