package dev.failover4j.samples.aiservice;

import dev.failover4j.samples.support.SampleEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.FailoverAttempt;
import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverEvent.AttemptFailed;
import dev.failover4j.FailoverEvent.AttemptStarted;
import dev.failover4j.FailoverStreamingChatLanguageModel;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a {@code FailoverListener} and {@code FailoverChatResponseMetadata.attempts()} report for the
 * sample's streamed turn (one request to the primary, cut mid-answer, continued by the secondary).
 */
class StreamAttemptEventsTest {

    @Test
    void should_report_a_cut_stream_as_the_one_attempt_that_started_it_when_the_primary_stream_breaks() throws Exception {
        try (SampleEndpoint primary = SampleEndpoint.start("primary", AiServiceSample.DEFAULT_WINDOW, new ConciergeReplies("primary"), Map.of());
                SampleEndpoint secondary = SampleEndpoint.start("secondary", AiServiceSample.DEFAULT_WINDOW, new ConciergeReplies("secondary"), Map.of())) {
            // given
            primary.chaos().injectNext(1, Fault.streamCutAfter(ConciergeConversation.CHUNKS_BEFORE_CUT));
            List<FailoverEvent> events = new CopyOnWriteArrayList<>();
            FailoverStreamingChatLanguageModel model = FailoverStreamingChatLanguageModel.builder()
                    .targets(primary.target().build(), secondary.target().build()).listener(events::add).build();

            // when
            ChatResponse response = stream(model, "What will I see from the Miradouro?");

            // then: as many attempts on the primary as requests it received (one, unless under heavy load the
            // cut came before the client read the first token: then the same-target retry is a second request),
            // and the one that broke is reported once, as failed
            List<FailoverAttempt> onPrimary = ((FailoverChatResponseMetadata) response.metadata()).attempts().stream()
                    .filter(attempt -> attempt.target().equals("primary")).toList();
            assertThat(onPrimary).hasSize(primary.chaos().requestCount());
            assertThat(onPrimary).extracting(FailoverAttempt::attempt)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, onPrimary.size()).boxed().toList());
            assertThat(onPrimary.get(0).outcome()).isEqualTo(FailoverAttempt.Outcome.FAILED);
            List<Integer> started = events.stream().filter(AttemptStarted.class::isInstance).map(AttemptStarted.class::cast)
                    .filter(e -> e.target().equals("primary")).map(AttemptStarted::attempt).toList();
            assertThat(events).filteredOn(AttemptFailed.class::isInstance).map(AttemptFailed.class::cast)
                    .allSatisfy(failed -> assertThat(started).contains(failed.attempt()));
        }
    }

    private static ChatResponse stream(FailoverStreamingChatLanguageModel model, String question) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(ChatRequest.builder().messages(UserMessage.from(question)).build(), new StreamingChatResponseHandler() {
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
        return done.get(20, TimeUnit.SECONDS);
    }
}
