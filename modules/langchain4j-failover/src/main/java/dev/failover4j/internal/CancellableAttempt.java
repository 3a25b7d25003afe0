package dev.failover4j.internal;

import java.util.concurrent.CompletableFuture;

/**
 * One attempt running on a thread other than the caller's, which can be cancelled: its thread is interrupted
 * (which closes an {@code openAiCompatible} target's HTTP exchange, as the attempt timeout does), the thread is
 * released, and the attempt ends as abandoned — it is not counted against its target. What a hedge needs to
 * run a second attempt beside the first and stop the loser. Thread-safe.
 */
final class CancellableAttempt {

    private final CompletableFuture<TargetCall.Outcome> outcome = new CompletableFuture<>();
    /** The thread running the attempt while it runs, else null. Guarded by this. */
    private Thread runner;
    private boolean cancelled;

    /** @return how the attempt ended; completes when it does (after a cancel, as a failure of kind INTERRUPTED) */
    CompletableFuture<TargetCall.Outcome> outcome() {
        return outcome;
    }

    /** Stops the attempt if it is still running; does nothing once it ended. */
    synchronized void cancel() {
        cancelled = true;
        if (runner != null) {
            runner.interrupt();
        }
    }

    synchronized boolean isCancelled() {
        return cancelled;
    }

    /** @return whether the attempt may start on the current thread (false: it was cancelled before it started) */
    synchronized boolean enter() {
        if (cancelled) {
            return false;
        }
        runner = Thread.currentThread();
        return true;
    }

    /** The attempt ended on the current thread: no later cancel may interrupt it; a cancel that raced the end is forgotten. */
    void exit(TargetCall.Outcome result) {
        synchronized (this) {
            runner = null;
            Thread.interrupted();
        }
        outcome.complete(result);
    }
}
