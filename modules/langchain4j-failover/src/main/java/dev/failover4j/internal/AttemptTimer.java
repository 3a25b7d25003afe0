package dev.failover4j.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounds attempts by interrupting the thread that runs each, at {@code min(attempt timeout, time
 * left)}, without waking any thread and without allocating on the healthy path.
 *
 * <p>Why not a {@code ScheduledThreadPoolExecutor} (or Failsafe's {@code Timeout}, which schedules on
 * one): scheduling a task as the new head of its queue wakes the scheduler thread, one futex wake-up
 * and a context switch per call — measured at ≈ 35 µs of a 0.4 ms loopback call on a 2-core VM
 * (docs/BENCHMARKS.md). Here every thread that runs attempts has one {@link Armed} slot: arming
 * writes its deadline and state, disarming is one compare-and-set. The timer thread sleeps until
 * the earliest deadline it saw, and is woken only when an attempt's deadline is earlier than that
 * (the usual attempt, with the same timeout as the one before, is later). When it wakes it looks at
 * every slot, interrupts those that are due and sleeps until the next deadline. The thread ends once
 * nothing was armed for {@code keepAlive} and it woke with nothing armed (at most the longest attempt
 * limit plus {@code keepAlive} after the last attempt), so models that are built and dropped leak no
 * threads; the next attempt starts a new one. Slots of threads that ended are dropped when it looks.
 */
final class AttemptTimer {

    private static final AtomicInteger THREADS = new AtomicInteger();
    /**
     * The timer every failover group uses: one thread for the JVM however many groups a multi-tenant app builds,
     * started by the first attempt and ended when nothing was armed for a while.
     */
    private static final AttemptTimer SHARED = new AttemptTimer();
    private static final long NOT_SLEEPING = Long.MIN_VALUE;

    private final Set<Armed> slots = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Armed> slotOfThread = ThreadLocal.withInitial(this::newSlot);
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private final long keepAliveNanos;
    /**
     * The {@link System#nanoTime()} by which the timer thread looks at the slots again; {@link #NOT_SLEEPING}
     * while it works (it looks at the slots before it sleeps, so nothing armed meanwhile is missed).
     */
    private volatile long wakeAt = NOT_SLEEPING;

    AttemptTimer() {
        this(Duration.ofSeconds(5));
    }

    AttemptTimer(Duration keepAlive) {
        this.keepAliveNanos = keepAlive.toNanos();
    }

    static AttemptTimer shared() {
        return SHARED;
    }

    /** Arms an interrupt of the current thread after {@code limit}; {@link Armed#disarm()} it when the attempt ends. */
    Armed arm(Duration limit) {
        long deadline = System.nanoTime() + Math.max(1, Math.min(limit.toNanos(), Long.MAX_VALUE / 4));
        Armed slot = slotOfThread.get();
        if (slot.isArmed()) {
            slot = newSlot(); // an attempt inside an attempt on the same thread: a slot of its own, dropped on disarm
            slot.temporaryIn = slots;
        }
        slot.arm(deadline);
        Thread timer = thread.get();
        long sleepingUntil = wakeAt;
        if (timer == null) {
            startThread();
        } else if (sleepingUntil != NOT_SLEEPING && sleepingUntil - deadline > 0) { // it would sleep past this deadline
            LockSupport.unpark(timer);
        }
        return slot;
    }

    /** @return whether the timer thread is alive (for tests) */
    boolean threadAlive() {
        Thread timer = thread.get();
        return timer != null && timer.isAlive();
    }

    /** @return how many thread slots are registered (for tests) */
    int slotCount() {
        return slots.size();
    }

    private Armed newSlot() {
        Armed slot = new Armed(Thread.currentThread());
        slots.add(slot);
        return slot;
    }

    private void startThread() {
        Thread timer = new Thread(this::loop, "failover-timer-" + THREADS.incrementAndGet());
        timer.setDaemon(true);
        if (thread.compareAndSet(null, timer)) {
            timer.start();
        }
    }

    private void loop() {
        long quietSince = System.nanoTime();
        while (true) {
            wakeAt = NOT_SLEEPING;
            Thread.interrupted(); // nobody should, but an interrupt would turn every park into a spin
            long now = System.nanoTime();
            Scan scan = scan(now);
            if (scan.anyArmedSinceLastLook) {
                quietSince = now;
            }
            if (scan.earliest != NOT_SLEEPING) {
                sleepUntil(scan.earliest);
            } else if (now - quietSince < keepAliveNanos) {
                sleepUntil(quietSince + keepAliveNanos);
            } else if (exitIfIdle()) {
                return;
            }
        }
    }

    private record Scan(long earliest, boolean anyArmedSinceLastLook) {}

    /** Interrupts what is due; drops slots of threads that ended. */
    private Scan scan(long now) {
        long earliest = NOT_SLEEPING;
        boolean active = false;
        for (Armed slot : slots) {
            active |= slot.armedSinceLastLook();
            long armed = slot.state.get();
            long due = slot.armedDeadline(armed);
            if (due == NOT_SLEEPING) {
                if (Armed.phase(armed) == Armed.IDLE && !slot.owner.isAlive()) {
                    slots.remove(slot);
                }
            } else if (due - now <= 0) {
                slot.fire(armed);
            } else if (earliest == NOT_SLEEPING || due - earliest < 0) {
                earliest = due;
            }
        }
        return new Scan(earliest, active);
    }

    /** Publishes when it wakes, then looks once more: an {@link #arm} either sees the new wake time or is seen here. */
    private void sleepUntil(long until) {
        wakeAt = until;
        for (Armed slot : slots) {
            long due = slot.armedDeadline(slot.state.get());
            if (due != NOT_SLEEPING && due - until < 0) {
                return;
            }
        }
        long nanos = until - System.nanoTime();
        if (nanos > 0) {
            LockSupport.parkNanos(this, nanos);
        }
    }

    /** Leaves the thread slot empty, then looks once more: an {@link #arm} either sees the empty slot or is seen here. */
    private boolean exitIfIdle() {
        Thread self = Thread.currentThread();
        thread.compareAndSet(self, null);
        for (Armed slot : slots) {
            if (slot.isArmed()) {
                return !thread.compareAndSet(null, self); // work arrived: keep going, unless arm() already started another thread
            }
        }
        return true;
    }

    /**
     * One thread's slot. Its state counts armings: {@code 4 × generation + phase}, so the timer can tell
     * that a deadline it read still belongs to the arming it is about to fire (no ABA between an attempt
     * that ended and the next one on the same thread).
     */
    static final class Armed {
        private static final int IDLE = 0;
        private static final int ARMED = 1;
        private static final int FIRING = 2;
        private static final int FIRED = 3;

        private final Thread owner;
        private final AtomicLong state = new AtomicLong();
        private volatile long deadline;
        /** Set for a nested attempt's extra slot: the registry it leaves on disarm. Null for a thread's own slot. */
        private Set<Armed> temporaryIn;
        /** The last state the timer thread saw; only the timer thread touches it. */
        private long seenByTimer;

        private Armed(Thread owner) {
            this.owner = owner;
        }

        private boolean isArmed() {
            return phase(state.get()) != IDLE;
        }

        /** Called by the owner only, while idle. */
        private void arm(long deadlineNanos) {
            long generation = state.get() >>> 2;
            deadline = deadlineNanos;
            state.set(((generation + 1) << 2) | ARMED);
        }

        /**
         * @param observed a state just read
         * @return the deadline of that arming, or {@link #NOT_SLEEPING} when it is not armed or no longer current
         */
        private long armedDeadline(long observed) {
            if (phase(observed) != ARMED) {
                return NOT_SLEEPING;
            }
            long due = deadline;
            return state.get() == observed ? due : NOT_SLEEPING; // disarmed or re-armed meanwhile: looked at next time
        }

        private boolean armedSinceLastLook() {
            long now = state.get();
            boolean changed = (now >>> 2) != (seenByTimer >>> 2) || phase(now) == ARMED;
            seenByTimer = now;
            return changed;
        }

        /** Fires the arming {@code armed}, unless it was disarmed meanwhile (a later arming has another generation). */
        private void fire(long armed) {
            if (state.compareAndSet(armed, (armed & ~3L) | FIRING)) {
                owner.interrupt();
                state.set((armed & ~3L) | FIRED);
            }
        }

        /**
         * @return whether the timer fired; if so, the interrupt it set is cleared, so a timed-out
         *         attempt is a timeout and not the caller's interrupt
         */
        boolean disarm() {
            long armed = state.get();
            long generationBits = armed & ~3L;
            boolean fired = !state.compareAndSet(generationBits | ARMED, generationBits | IDLE);
            if (fired) {
                while (phase(state.get()) == FIRING) {
                    Thread.onSpinWait(); // the timer is between its compare-and-set and the interrupt
                }
                Thread.interrupted();
                state.set(generationBits | IDLE);
            }
            if (temporaryIn != null) {
                temporaryIn.remove(this);
            }
            return fired;
        }

        private static int phase(long state) {
            return (int) (state & 3);
        }

        @Override
        public String toString() {
            return "Armed[" + owner.getName() + ", phase " + phase(state.get()) + "]";
        }
    }
}
