package dev.failover4j.internal;

import java.time.Duration;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounds attempts by interrupting the thread that runs each, at {@code min(attempt timeout, time
 * left)}, without waking any thread on the healthy path.
 *
 * <p>Why not a {@code ScheduledThreadPoolExecutor} (or Failsafe's {@code Timeout}, which schedules on
 * one): scheduling a task as the new head of its queue wakes the scheduler thread, one futex wake-up
 * and a context switch per call — measured at ≈ 35 µs of a 0.4 ms loopback call on a 2-core VM
 * (docs/BENCHMARKS.md). Here the timer thread sleeps until the earliest deadline it knows of; arming
 * a later deadline (the usual case: every attempt has the same timeout) only adds it to a sorted set,
 * and disarming removes it. The thread is woken only when an attempt's deadline is earlier than the
 * time it will wake anyway. When it wakes for an attempt that already ended it looks at the set again
 * and sleeps until the next deadline. The thread ends once nothing was armed for {@code keepAlive} and it
 * woke with nothing armed, i.e. at most the longest attempt limit plus {@code keepAlive} after the last
 * attempt, so models that are built and dropped leak no threads; the next attempt starts a new one.
 */
final class AttemptTimer {

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long NOT_SLEEPING = Long.MIN_VALUE;

    private final ConcurrentSkipListSet<Armed> armed = new ConcurrentSkipListSet<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private final long keepAliveNanos;
    /**
     * The {@link System#nanoTime()} by which the timer thread looks at the set again; {@link #NOT_SLEEPING}
     * while it works (it looks at the set before it sleeps, so nothing armed meanwhile is missed).
     */
    private volatile long wakeAt = NOT_SLEEPING;

    AttemptTimer() {
        this(Duration.ofSeconds(5));
    }

    AttemptTimer(Duration keepAlive) {
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /** Arms an interrupt of the current thread after {@code limit}; {@link Armed#disarm()} it when the attempt ends. */
    Armed arm(Duration limit) {
        long deadline = System.nanoTime() + Math.max(1, Math.min(limit.toNanos(), Long.MAX_VALUE / 4));
        Armed entry = new Armed(this, Thread.currentThread(), deadline, sequence.incrementAndGet());
        armed.add(entry);
        Thread timer = thread.get();
        long sleepingUntil = wakeAt;
        if (timer == null) {
            startThread();
        } else if (sleepingUntil != NOT_SLEEPING && sleepingUntil - deadline > 0) { // it would sleep past this deadline
            LockSupport.unpark(timer);
        }
        return entry;
    }

    /** @return whether the timer thread is alive (for tests) */
    boolean threadAlive() {
        Thread timer = thread.get();
        return timer != null && timer.isAlive();
    }

    private void startThread() {
        Thread timer = new Thread(this::loop, "failover-timer-" + THREADS.incrementAndGet());
        timer.setDaemon(true);
        if (thread.compareAndSet(null, timer)) {
            timer.start();
        }
    }

    private void loop() {
        long seenArms = -1;
        long quietSince = System.nanoTime();
        while (true) {
            wakeAt = NOT_SLEEPING;
            Thread.interrupted(); // nobody should, but an interrupt would turn every park into a spin
            long now = System.nanoTime();
            long arms = sequence.get();
            if (arms != seenArms) {
                seenArms = arms;
                quietSince = now;
            }
            fireDue(now);
            Armed first = firstOrNull();
            if (first != null) {
                sleepUntil(first.deadline);
            } else if (now - quietSince < keepAliveNanos) {
                sleepUntil(quietSince + keepAliveNanos);
            } else if (exitIfIdle()) {
                return;
            }
        }
    }

    /** Publishes when it wakes, then checks the set once more: an {@link #arm} either sees the new wake time or is seen here. */
    private void sleepUntil(long until) {
        wakeAt = until;
        Armed first = firstOrNull();
        if (first != null && first.deadline - until < 0) {
            return;
        }
        long nanos = until - System.nanoTime();
        if (nanos > 0) {
            LockSupport.parkNanos(this, nanos);
        }
    }

    private void fireDue(long now) {
        for (Armed first = firstOrNull(); first != null && first.deadline - now <= 0; first = firstOrNull()) {
            if (armed.remove(first)) {
                first.fire();
            }
        }
    }

    /** Leaves the thread slot empty, then looks once more: an {@link #arm} either sees the empty slot or is seen here. */
    private boolean exitIfIdle() {
        Thread self = Thread.currentThread();
        thread.compareAndSet(self, null);
        if (armed.isEmpty()) {
            return true;
        }
        return !thread.compareAndSet(null, self); // work arrived: keep going, unless arm() already started another thread
    }

    private Armed firstOrNull() {
        try {
            return armed.first();
        } catch (java.util.NoSuchElementException empty) {
            return null;
        }
    }

    /** One armed attempt. The lock makes "fire" and "disarm" exclusive, so a late interrupt never leaks. */
    static final class Armed implements Comparable<Armed> {
        private final AttemptTimer timer;
        private final Thread target;
        private final long deadline;
        private final long sequence;
        private boolean done;
        private boolean fired;

        private Armed(AttemptTimer timer, Thread target, long deadline, long sequence) {
            this.timer = timer;
            this.target = target;
            this.deadline = deadline;
            this.sequence = sequence;
        }

        private synchronized void fire() {
            if (!done) {
                fired = true;
                target.interrupt();
            }
        }

        /**
         * @return whether the timer fired; if so, the interrupt it set is cleared, so a timed-out
         *         attempt is a timeout and not the caller's interrupt
         */
        boolean disarm() {
            timer.armed.remove(this);
            synchronized (this) {
                done = true;
                if (fired) {
                    Thread.interrupted();
                }
                return fired;
            }
        }

        @Override
        public int compareTo(Armed other) {
            int byDeadline = Long.compare(deadline - other.deadline, 0);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }

        @Override
        public String toString() {
            return "Armed[in " + TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + " ms]";
        }
    }
}
