package dev.failover4j.benchmarks.soak;

import dev.langchain4j.exception.LangChain4jException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe tally of how calls ended: answered, typed failure (by class), untyped, late, lost. */
final class SoakOutcomes {

    final LongAdder syncCalls = new LongAdder();
    final LongAdder streamingCalls = new LongAdder();
    final LongAdder answered = new LongAdder();
    final LongAdder typedFailures = new LongAdder();
    final LongAdder untypedFailures = new LongAdder();
    /** Ended, but later than the deadline plus grace. */
    final LongAdder late = new LongAdder();
    /** Never ended within the deadline plus grace (streaming: no terminal callback; sync: still running at the end). */
    final LongAdder lost = new LongAdder();
    final AtomicLong slowestNanos = new AtomicLong();
    final Map<String, LongAdder> failuresByType = new ConcurrentHashMap<>();

    void ended(Throwable error, long nanos, long limitNanos) {
        slowestNanos.accumulateAndGet(nanos, Math::max);
        if (nanos > limitNanos) {
            late.increment();
        }
        if (error == null) {
            answered.increment();
            return;
        }
        if (error instanceof LangChain4jException) {
            typedFailures.increment();
        } else {
            untypedFailures.increment();
        }
        failuresByType.computeIfAbsent(error.getClass().getSimpleName(), k -> new LongAdder()).increment();
    }

    private long lastAnswered;
    private long lastTyped;

    /** @return answered and typed failures since the previous call (one sampling thread only) */
    String sinceLastLook() {
        long answeredNow = answered.sum();
        long typedNow = typedFailures.sum();
        String text = "answered +" + (answeredNow - lastAnswered) + ", failed +" + (typedNow - lastTyped);
        lastAnswered = answeredNow;
        lastTyped = typedNow;
        return text;
    }

    long total() {
        return syncCalls.sum() + streamingCalls.sum();
    }
}
