package dev.failover4j.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds one attempt by interrupting the thread that runs it, at {@code min(attempt timeout, time
 * left)}. Why not two Failsafe {@code Timeout} policies (attempt and deadline): measured at ~35 % of
 * the per-call cost — each schedules on Failsafe's shared scheduler and builds a
 * {@code CancellationException} with a stack trace when cancelled (docs/BENCHMARKS.md). One
 * {@link ScheduledThreadPoolExecutor} task per attempt, cancelled without an exception, does the same
 * job. One timer per failover model; its daemon thread ends after 5 s without attempts.
 */
final class AttemptTimer {

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Duration IDLE_THREAD_KEEP_ALIVE = Duration.ofSeconds(5);

    private final ScheduledThreadPoolExecutor scheduler;

    AttemptTimer() {
        scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "failover-timer-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        // The thread ends when the model is idle, so models that are built and dropped leak no threads.
        scheduler.setKeepAliveTime(IDLE_THREAD_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.allowCoreThreadTimeOut(true);
    }

    /** Arms an interrupt of the current thread after {@code limit}; {@link Armed#disarm()} it when the attempt ends. */
    Armed arm(Duration limit) {
        Armed armed = new Armed(Thread.currentThread());
        armed.future = scheduler.schedule(armed, Math.max(1, limit.toNanos()), TimeUnit.NANOSECONDS);
        return armed;
    }

    /** One armed attempt. The lock makes "fire" and "disarm" exclusive, so a late interrupt never leaks. */
    static final class Armed implements Runnable {
        private final Thread thread;
        private volatile ScheduledFuture<?> future;
        private boolean done;
        private boolean fired;

        private Armed(Thread thread) {
            this.thread = thread;
        }

        @Override
        public synchronized void run() {
            if (!done) {
                fired = true;
                thread.interrupt();
            }
        }

        /**
         * @return whether the timer fired; if so, the interrupt it set is cleared, so a timed-out
         *         attempt is a timeout and not the caller's interrupt
         */
        boolean disarm() {
            future.cancel(false);
            synchronized (this) {
                done = true;
                if (fired) {
                    Thread.interrupted();
                }
                return fired;
            }
        }
    }
}
