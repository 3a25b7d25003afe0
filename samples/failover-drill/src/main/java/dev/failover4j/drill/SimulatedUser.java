package dev.failover4j.drill;

import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.FailoverException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.math.BigDecimal;
import java.util.Random;

/**
 * One simulated user: asks, waits for the answer, thinks a little, asks again, until the drill ends
 * (checked before every call, so the loop is bounded by the drill's end plus one call's deadline).
 * Records every call in {@link DrillStats}. Runs on one thread; stops early when interrupted.
 */
public final class SimulatedUser implements Runnable {

    static final int MIN_THINK_MILLIS = 100;
    static final int MAX_THINK_MILLIS = 400;

    private final ChatModel model;
    private final Conversation conversation;
    private final Random random;
    private final DrillClock clock;
    private final long endMillis;
    private final DrillStats stats;

    /**
     * @param index     the user's number; picks its {@link Conversations.Persona} and seeds its randomness
     * @param endMillis the drill's end, in milliseconds since it started: no call starts after it
     */
    public SimulatedUser(int index, ChatModel model, DrillClock clock, long endMillis, DrillStats stats) {
        this.model = model;
        this.random = new Random(1_000L + index);
        this.conversation = new Conversation(Conversations.Persona.forUser(index), random);
        this.clock = clock;
        this.endMillis = endMillis;
        this.stats = stats;
    }

    @Override
    public void run() {
        try {
            // Stagger the start so users do not arrive in lockstep.
            Thread.sleep(random.nextInt(MAX_THINK_MILLIS));
            while (clock.elapsedMillis() < endMillis && !Thread.currentThread().isInterrupted()) {
                if (!call()) {
                    return;
                }
                Thread.sleep(MIN_THINK_MILLIS + random.nextInt(MAX_THINK_MILLIS - MIN_THINK_MILLIS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return false when the call was interrupted (the drill is shutting down) */
    private boolean call() {
        ChatRequest request = conversation.nextRequest();
        DrillPhase phase = clock.phase();
        long start = clock.elapsedMillis();
        try {
            ChatResponse response = model.chat(request);
            long end = clock.elapsedMillis();
            conversation.answered(response.aiMessage());
            FailoverChatResponseMetadata metadata = (FailoverChatResponseMetadata) response.metadata();
            String target = metadata.targetName();
            TokenUsage usage = response.metadata().tokenUsage();
            BigDecimal cost = metadata.cost() != null ? metadata.cost() : BigDecimal.ZERO; // the library prices it
            stats.record(CallRecord.served(start, end, phase, target, tokens(usage, true), tokens(usage, false), cost));
            return true;
        } catch (FailoverException e) {
            if (e.interrupted()) {
                return false;
            }
            // The library redacts FailoverException messages (keys masked).
            return failed(start, phase, "FailoverException: " + e.getMessage());
        } catch (RuntimeException e) {
            // Rethrown as is (e.g. a 400 the caller caused): not redacted, so its message is not shown.
            return failed(start, phase, e.getClass().getSimpleName() + " (message withheld: not redacted)");
        }
    }

    private boolean failed(long start, DrillPhase phase, String error) {
        conversation.failed();
        stats.record(CallRecord.failed(start, clock.elapsedMillis(), phase, error));
        return true;
    }

    private static long tokens(TokenUsage usage, boolean input) {
        if (usage == null) {
            return 0;
        }
        Integer count = input ? usage.inputTokenCount() : usage.outputTokenCount();
        return count == null ? 0 : count;
    }
}
