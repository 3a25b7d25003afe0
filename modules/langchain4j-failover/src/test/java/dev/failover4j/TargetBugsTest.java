package dev.failover4j;

import static dev.failover4j.support.OpenAiResponses.ok;
import static dev.failover4j.support.Servers.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover4j.support.RecordingHandler;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Targets whose code is broken rather than down: Errors, checked exceptions, null answers, null stream
 * callbacks, and broken listeners and handlers. Regression tests for the hardening issue's defects 1–3
 * and its listener/handler isolation items.
 */
class TargetBugsTest {

    private final MockWebServer backup = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        backup.start();
    }

    @AfterEach
    void stop() {
        backup.close();
    }

    /** A target's model as a lambda. */
    private interface Answer {
        ChatResponse answer(ChatRequest request);
    }

    /** A target's streaming model as a lambda. */
    private interface Stream {
        void stream(ChatRequest request, StreamingChatResponseHandler handler);
    }

    private static FailoverTarget custom(String name, Answer answer) {
        ChatModel model = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                return answer.answer(request);
            }
        };
        return FailoverTarget.builder().name(name).chatModel(model).contextWindowTokens(8_000).build();
    }

    private static FailoverTarget streamingCustom(String name, Stream stream) {
        StreamingChatModel model = new StreamingChatModel() {
            @Override
            public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
                stream.stream(request, handler);
            }
        };
        FailoverTarget sync = custom(name, request -> {
            throw new UnsupportedOperationException("sync unused");
        });
        return FailoverTarget.builder().name(name).chatModel(sync.chatModel()).streamingChatModel(model)
                .contextWindowTokens(8_000).build();
    }

    private static FailoverChatLanguageModel.Builder sync(FailoverTarget... targets) {
        return FailoverChatLanguageModel.builder().targets(targets)
                .config(FailoverConfig.builder().backoff(Duration.ofMillis(1), Duration.ofMillis(5)).build());
    }

    private static ChatRequest hello() {
        return ChatRequest.builder().messages(UserMessage.from("hi")).build();
    }

    @Test
    void should_propagate_an_error_unchanged_and_never_interrupt_the_caller_later_when_a_target_throws_one() {
        // given
        AssertionError bug = new AssertionError("model bug");
        FailoverChatLanguageModel model = sync(custom("p", request -> {
            throw bug;
        }), target("backup", backup)).attemptTimeout(Duration.ofMillis(100)).build();
        // when / then
        assertThatThrownBy(() -> model.chat(hello())).isSameAs(bug);
        assertThat(backup.getRequestCount()).isZero();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        // the attempt timer of the failed attempt would have fired after 100 ms: outlive it
        assertThatCode(() -> Thread.sleep(400)).doesNotThrowAnyException();
        assertThat(model.health().get(0).consecutiveFailures()).isZero();
    }

    @Test
    void should_leave_a_later_call_on_another_model_alone_when_a_target_overflowed_the_stack() {
        // given
        FailoverChatLanguageModel broken = sync(custom("p", request -> {
            throw new StackOverflowError();
        })).attemptTimeout(Duration.ofMillis(100)).build();
        AtomicBoolean interruptedInside = new AtomicBoolean();
        FailoverChatLanguageModel slowButFine = sync(custom("q", request -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                interruptedInside.set(true);
                Thread.currentThread().interrupt();
            }
            return ChatResponse.builder().aiMessage(AiMessage.from("fine")).build();
        })).attemptTimeout(Duration.ofSeconds(5)).build();
        // when
        assertThatThrownBy(() -> broken.chat(hello())).isInstanceOf(StackOverflowError.class);
        ChatResponse response = slowButFine.chat(hello());
        // then
        assertThat(response.aiMessage().text()).isEqualTo("fine");
        assertThat(interruptedInside).isFalse();
    }

    @Test
    void should_fail_over_and_count_it_when_a_target_throws_a_checked_exception() {
        // given
        backup.enqueue(ok("from backup"));
        FailoverChatLanguageModel model = sync(custom("p", request -> sneakyThrow(new IOException("disk gone"))), target("backup", backup))
                .attemptTimeout(Duration.ofMillis(100)).build();
        // when
        ChatResponse response = model.chat(hello());
        // then
        assertThat(response.aiMessage().text()).isEqualTo("from backup");
        assertThat(((FailoverChatResponseMetadata) response.metadata()).attempts().get(0).failure())
                .isEqualTo(FailureKind.CONNECTION);
        assertThatCode(() -> Thread.sleep(300)).doesNotThrowAnyException();
    }

    @Test
    void should_treat_a_null_answer_like_a_malformed_body_when_a_target_returns_null() {
        // given
        backup.enqueue(ok("from backup"));
        AtomicInteger calls = new AtomicInteger();
        FailoverChatLanguageModel model = sync(custom("p", request -> {
            calls.incrementAndGet();
            return null;
        }), target("backup", backup)).build();
        // when
        ChatResponse response = model.chat(hello());
        // then
        FailoverChatResponseMetadata metadata = (FailoverChatResponseMetadata) response.metadata();
        assertThat(metadata.targetName()).isEqualTo("backup");
        assertThat(metadata.attempts().get(0).failure()).isEqualTo(FailureKind.MALFORMED_RESPONSE);
        assertThat(metadata.attempts().get(0).detail()).contains("returned null");
        assertThat(calls).hasValue(3); // retried like any malformed body
        assertThat(model.health().get(0).consecutiveFailures()).isEqualTo(3);
        assertThat(model.probe("p")).isFalse();
    }

    @Test
    void should_treat_a_response_without_an_ai_message_as_malformed() {
        // given
        backup.enqueue(ok("from backup"));
        ChatResponse empty = new ChatResponse(ChatResponse.builder().aiMessage(AiMessage.from("x"))) {
            @Override
            public AiMessage aiMessage() {
                return null;
            }
        };
        FailoverChatLanguageModel model = sync(custom("p", request -> empty), target("backup", backup)).config(
                FailoverConfig.builder().maxRetries(0).build()).build();
        // when
        ChatResponse response = model.chat(hello());
        // then
        FailoverChatResponseMetadata metadata = (FailoverChatResponseMetadata) response.metadata();
        assertThat(metadata.targetName()).isEqualTo("backup");
        assertThat(metadata.attempts().get(0).detail()).contains("without an AiMessage");
    }

    @Test
    void should_bound_a_probe_by_the_attempt_timeout_when_the_target_ignores_interrupts() {
        // given
        FailoverChatLanguageModel model = sync(custom("p", request -> {
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < end) {
                Thread.onSpinWait(); // ignores interrupts
            }
            return ChatResponse.builder().aiMessage(AiMessage.from("late")).build();
        })).attemptTimeout(Duration.ofMillis(200)).build();
        // when
        long start = System.nanoTime();
        boolean answered = model.probe("p");
        // then
        assertThat(answered).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(model.health().get(0).consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void should_serve_the_call_when_a_listener_throws_an_assertion_error() {
        // given
        backup.enqueue(ok("served"));
        FailoverChatLanguageModel model = sync(target("backup", backup)).listener(event -> {
            throw new AssertionError("listener bug");
        }).build();
        // when
        ChatResponse response = model.chat(hello());
        // then
        assertThat(response.aiMessage().text()).isEqualTo("served");
    }

    @Test
    void should_give_the_handler_exactly_one_on_error_when_a_streaming_target_throws_an_error() throws Exception {
        // given
        AssertionError bug = new AssertionError("streaming bug");
        FailoverStreamingChatLanguageModel model = FailoverStreamingChatLanguageModel.builder()
                .targets(streamingCustom("p", (request, handler) -> {
                    throw bug;
                }))
                .build();
        RecordingHandler handler = new RecordingHandler();
        // when
        model.chat(hello(), handler);
        // then
        handler.await(Duration.ofSeconds(5));
        assertThat(handler.error()).isSameAs(bug);
        assertThat(handler.terminals).hasValue(1);
    }

    @Test
    void should_fail_over_when_a_streaming_target_completes_with_null() throws Exception {
        // given
        FailoverStreamingChatLanguageModel model = FailoverStreamingChatLanguageModel.builder()
                .targets(streamingCustom("p", (request, handler) -> handler.onCompleteResponse(null)),
                        streamingCustom("q", answering("from q")))
                .config(FailoverConfig.builder().maxRetries(0).build())
                .build();
        RecordingHandler handler = new RecordingHandler();
        // when
        model.chat(hello(), handler);
        // then
        handler.await(Duration.ofSeconds(5));
        assertThat(handler.error()).isNull();
        assertThat(handler.text()).isEqualTo("from q");
        FailoverChatResponseMetadata metadata = (FailoverChatResponseMetadata) handler.response().metadata();
        assertThat(metadata.attempts().get(0).failure()).isEqualTo(FailureKind.MALFORMED_RESPONSE);
    }

    @Test
    void should_continue_on_the_next_target_when_a_stream_sends_a_null_chunk_after_text() throws Exception {
        // given
        FailoverStreamingChatLanguageModel model = FailoverStreamingChatLanguageModel.builder()
                .targets(streamingCustom("p", (request, handler) -> {
                    handler.onPartialResponse("The answer ");
                    handler.onPartialResponse((String) null);
                }), streamingCustom("q", answering("is forty-two.")))
                .config(FailoverConfig.builder().maxRetries(0).build())
                .build();
        RecordingHandler handler = new RecordingHandler();
        // when
        model.chat(hello(), handler);
        // then
        handler.await(Duration.ofSeconds(5));
        assertThat(handler.error()).isNull();
        assertThat(handler.text()).isEqualTo("The answer is forty-two.");
        assertThat(((FailoverChatResponseMetadata) handler.response().metadata()).servedBy()).containsExactly("p", "q");
    }

    @Test
    void should_cancel_upstream_and_call_on_error_once_when_the_handler_throws_an_error_on_a_partial_response() throws Exception {
        // given
        AtomicBoolean upstreamCancelled = new AtomicBoolean();
        StreamingHandle upstream = new StreamingHandle() {
            @Override
            public void cancel() {
                upstreamCancelled.set(true);
            }

            @Override
            public boolean isCancelled() {
                return upstreamCancelled.get();
            }
        };
        FailoverStreamingChatLanguageModel model = FailoverStreamingChatLanguageModel.builder()
                .targets(streamingCustom("p", (request, handler) -> {
                    PartialResponseContext context = new PartialResponseContext(upstream);
                    handler.onPartialResponse(new PartialResponse("one "), context);
                    handler.onPartialResponse(new PartialResponse("two "), context); // the stream goes on, unaware
                }))
                .build();
        AssertionError bug = new AssertionError("handler bug");
        RecordingHandler handler = new RecordingHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                throw bug;
            }
        };
        // when
        model.chat(hello(), handler);
        // then
        handler.await(Duration.ofSeconds(5));
        assertThat(handler.error()).isSameAs(bug);
        assertThat(handler.terminals).hasValue(1);
        awaitTrue(upstreamCancelled);
    }

    private static Stream answering(String text) {
        return (request, handler) -> {
            handler.onPartialResponse(text);
            handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(text)).finishReason(FinishReason.STOP).build());
        };
    }

    private static void awaitTrue(AtomicBoolean flag) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!flag.get() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(flag).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable, R> R sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
