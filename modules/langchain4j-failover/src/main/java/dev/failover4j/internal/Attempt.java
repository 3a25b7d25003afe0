package dev.failover4j.internal;

import dev.langchain4j.model.chat.request.ChatRequest;

/**
 * One attempt on one target: what differs between the sync and the streaming model. The sync
 * attempt returns the response; the streaming attempt returns once the first token arrived.
 * Throws whatever the target's model throws; the planning core classifies it.
 */
@FunctionalInterface
interface Attempt<T> {

    T run(TargetRuntime target, ChatRequest request);

    /**
     * @return whether returning ends the attempt (sync). A streaming attempt returns at its first
     *         token and is recorded as succeeded or failed only when its stream ends.
     */
    default boolean endsWhenReturned() {
        return true;
    }

    /**
     * Drops an answer nobody will use (a hedge's loser that answered anyway). A sync answer was already recorded as a
     * success; an open-ended one is still running: it is stopped and recorded as abandoned.
     */
    default void discard(TargetRuntime target, Object answer, CallContext call, int counted) {}

    /** @return an attempt that is still running when it returns; its caller records how it ends */
    static <T> Attempt<T> openEnded(Attempt<T> attempt) {
        return new Attempt<>() {
            @Override
            public T run(TargetRuntime target, ChatRequest request) {
                return attempt.run(target, request);
            }

            @Override
            public boolean endsWhenReturned() {
                return false;
            }

            @Override
            public void discard(TargetRuntime target, Object answer, CallContext call, int counted) {
                if (answer instanceof StreamAttempt stream) {
                    stream.cancel();
                }
                target.record(new dev.failover4j.spi.AttemptResult.Abandoned(java.time.Duration.ZERO), call, counted, false);
            }
        };
    }
}
