package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.support.RecordingHandler;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Groups start threads for probes, hedging and streaming; closing a group must leave none behind. */
class GroupThreadsTest {

    /** Answers at once. */
    private static final class InstantModel implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            return ChatResponse.builder().aiMessage(AiMessage.from("ok")).build();
        }
    }

    /** Streams one token from a thread of its own, as HTTP models do. */
    private static final class InstantStreamingModel implements StreamingChatModel {
        @Override
        public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            Thread thread = new Thread(() -> {
                handler.onPartialResponse("ok");
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("ok")).build());
            }, "instant-stream");
            thread.start();
        }
    }

    private static FailoverTarget target(String name) {
        return FailoverTarget.builder().name(name).chatModel(new InstantModel()).streamingChatModel(new InstantStreamingModel())
                .modelName("m")
                .contextWindowTokens(8_000).build();
    }

    private static Set<Thread> failoverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("failover-")).collect(Collectors.toSet());
    }

    @Test
    void should_leave_no_thread_behind_after_a_thousand_groups_with_probes_hedging_and_streams_are_closed() throws Exception {
        // given
        Set<Thread> before = failoverThreads();
        // when: 1,000 groups, each with probe and hedging threads, used and closed
        for (int i = 0; i < 1_000; i++) {
            try (FailoverGroup group = FailoverGroup.builder().targets(target("a"), target("b"))
                    .hedging(Hedging.after(Duration.ofMillis(50)).maxExtraLoad(1.0))
                    .probes(Probes.every(Duration.ofMillis(5)).includeHealthy()).build()) {
                assertThat(group.chatModel().chat(UserMessage.from("hi")).aiMessage().text()).isEqualTo("ok");
                if (i % 10 == 0) {
                    RecordingHandler handler = new RecordingHandler();
                    group.streamingChatModel().chat(ChatRequest.builder().messages(UserMessage.from("hi")).build(), handler);
                    assertThat(handler.await(Duration.ofSeconds(10)).text()).isEqualTo("ok");
                }
            }
        }
        // then: every thread those groups started ends (idle pool threads are stopped by close, not left to time out)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Set<Thread> left = failoverThreads();
        left.removeAll(before);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = failoverThreads();
            left.removeAll(before);
        }
        assertThat(left).as("threads left by closed groups").isEmpty();
    }
}
