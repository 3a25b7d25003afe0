package dev.failover4j.internal;

/**
 * The call on whose thread a target's state is being changed, so that a breaker transition (which the
 * state reports synchronously, on that thread) can name the call that caused it. One reused slot per
 * thread: setting it costs a thread-local lookup and a write, no allocation.
 */
final class CausingCall {

    private static final ThreadLocal<long[]> CURRENT = ThreadLocal.withInitial(() -> new long[1]);

    private CausingCall() {}

    /** Marks the current thread as working for {@code callId} (0: no call, e.g. an operator's probe). */
    static void set(long callId) {
        CURRENT.get()[0] = callId;
    }

    static long get() {
        return CURRENT.get()[0];
    }
}
