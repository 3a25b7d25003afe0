package dev.failover4j.samples.aiservice;

import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.testkit.ChaosEndpoint;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The sample's conversation: five turns with one {@link Concierge}, while the primary fails.
 *
 * <ol>
 *   <li>chat, then structured output: the primary serves both;</li>
 *   <li>the primary starts answering HTTP 500: chat and structured output are served by the secondary;</li>
 *   <li>the primary is back, but its stream is cut mid-answer: the secondary continues the streamed answer.</li>
 * </ol>
 */
final class ConciergeConversation {

    /** Stream chunks the primary sends before its connection is cut (role chunk + a few words). */
    static final int CHUNKS_BEFORE_CUT = 6;

    /** One answered turn and the targets whose output makes up its answer. */
    record Turn(String question, Object answer, List<String> servedBy, String streamedText) {}

    private ConciergeConversation() {}

    static List<Turn> run(Concierge concierge, ChaosEndpoint primary, Consumer<String> log) {
        List<Turn> turns = new ArrayList<>();
        turns.add(chat(concierge, "I have four days in Lisbon in May. Which neighbourhood should I stay in?", log));
        turns.add(plan(concierge, "Plan my four days in Lisbon.", log));

        log.accept("--- primary outage: every request now gets HTTP 500");
        primary.inject(Fault.httpStatus(500));
        turns.add(chat(concierge, "Is the Lisboa Card worth it for a first visit?", log));
        turns.add(plan(concierge, "Make it three days, I fly out early on the fourth.", log));

        log.accept("--- primary back, but its next stream is cut after " + CHUNKS_BEFORE_CUT + " chunks");
        primary.clearFaults();
        primary.injectNext(1, Fault.streamCutAfter(CHUNKS_BEFORE_CUT));
        turns.add(stream(concierge, "What will I see from the Miradouro da Senhora do Monte?", log));
        return turns;
    }

    private static Turn chat(Concierge concierge, String question, Consumer<String> log) {
        Result<String> result = concierge.chat(question);
        return logged(new Turn(question, result.content(), servedBy(result.finalResponse()), null), log);
    }

    private static Turn plan(Concierge concierge, String question, Consumer<String> log) {
        Result<TripPlan> result = concierge.plan(question);
        return logged(new Turn(question, result.content(), servedBy(result.finalResponse()), null), log);
    }

    private static Turn stream(Concierge concierge, String question, Consumer<String> log) {
        StringBuilder streamed = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        concierge.stream(question)
                .onPartialResponse(streamed::append)   // chunks arrive on one thread, in order
                .onCompleteResponse(done::complete)
                .onError(done::completeExceptionally)
                .start();
        ChatResponse response = await(done);
        return logged(new Turn(question, response.aiMessage().text(), servedBy(response), streamed.toString()), log);
    }

    /** The serving targets, from the metadata every failover response carries. */
    static List<String> servedBy(ChatResponse response) {
        if (!(response.metadata() instanceof FailoverChatResponseMetadata metadata)) {
            throw new IllegalStateException("expected FailoverChatResponseMetadata but got " + response.metadata());
        }
        return metadata.servedBy();
    }

    private static ChatResponse await(CompletableFuture<ChatResponse> done) {
        try {
            return done.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("streamed turn failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("streamed turn did not finish in 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Turn logged(Turn turn, Consumer<String> log) {
        log.accept("user:  " + turn.question());
        log.accept("atlas: " + turn.answer() + "   <- served by " + turn.servedBy());
        return turn;
    }
}
