package dev.failover4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The attempt timer: interrupts when due, never after disarm, wakes early for an earlier deadline, ends when idle. */
class AttemptTimerTest {

    @Test
    void should_interrupt_the_attempt_when_its_limit_passes_and_clear_the_interrupt_on_disarm() {
        AttemptTimer timer = new AttemptTimer();
        long start = System.nanoTime();
        AttemptTimer.Armed armed = timer.arm(Duration.ofMillis(50));
        boolean interrupted = sleepUntilInterrupted(Duration.ofSeconds(10));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(interrupted).isTrue();
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(50).isLessThan(10_000);
        assertThat(armed.disarm()).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void should_not_interrupt_after_disarm() {
        AttemptTimer timer = new AttemptTimer();
        AttemptTimer.Armed armed = timer.arm(Duration.ofMillis(100));
        assertThat(armed.disarm()).isFalse();
        assertThat(sleepUntilInterrupted(Duration.ofMillis(400))).isFalse();
    }

    @Test
    void should_fire_an_earlier_deadline_armed_while_the_timer_sleeps_until_a_later_one() throws Exception {
        // given: the timer thread sleeps until a deadline one minute away
        AttemptTimer timer = new AttemptTimer();
        CountDownLatch longArmed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread longAttempt = new Thread(() -> {
            AttemptTimer.Armed armed = timer.arm(Duration.ofMinutes(1));
            longArmed.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            armed.disarm();
        });
        longAttempt.start();
        longArmed.await();
        Thread.sleep(50); // let the timer thread go to sleep
        // when: a 100 ms attempt is armed
        long start = System.nanoTime();
        AttemptTimer.Armed armed = timer.arm(Duration.ofMillis(100));
        boolean interrupted = sleepUntilInterrupted(Duration.ofSeconds(20));
        // then: it fires about on time, not after the minute
        assertThat(interrupted).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(100).isLessThan(20_000);
        assertThat(armed.disarm()).isTrue();
        release.countDown();
        longAttempt.join(5_000);
        assertThat(longAttempt.isInterrupted()).isFalse();
    }

    @Test
    void should_end_its_thread_when_idle_and_start_another_for_the_next_attempt() throws Exception {
        AttemptTimer timer = new AttemptTimer(Duration.ofMillis(100));
        // (the thread may sleep until the deadline of an attempt that ended early: it is not woken for a disarm)
        timer.arm(Duration.ofMillis(200)).disarm();
        assertThat(timer.threadAlive()).isTrue();
        awaitThreadEnd(timer, Duration.ofSeconds(10));
        assertThat(timer.threadAlive()).isFalse();
        // when: an attempt is armed after the thread ended
        AttemptTimer.Armed armed = timer.arm(Duration.ofMillis(50));
        // then: a new thread fires it
        assertThat(sleepUntilInterrupted(Duration.ofSeconds(10))).isTrue();
        assertThat(armed.disarm()).isTrue();
    }

    @Test
    void should_interrupt_exactly_the_attempts_that_were_not_disarmed_when_many_threads_arm_at_once() throws Exception {
        AttemptTimer timer = new AttemptTimer(Duration.ofMillis(50)); // short keep-alive: exits and restarts happen too
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            Random random = new Random(11);
            for (int i = 0; i < 256; i++) {
                long limitMillis = 5 + random.nextInt(150);
                boolean disarmEarly = random.nextBoolean();
                long pauseMillis = random.nextInt(120);
                outcomes.add(pool.submit(() -> {
                    Thread.sleep(pauseMillis); // spread the arms over time, across idle exits of the timer thread
                    AttemptTimer.Armed armed = timer.arm(Duration.ofMillis(limitMillis));
                    if (disarmEarly) {
                        boolean fired = armed.disarm();
                        boolean lateInterrupt = sleepUntilInterrupted(Duration.ofMillis(limitMillis + 100));
                        return fired || lateInterrupt ? "disarmed attempt interrupted" : "ok";
                    }
                    boolean interrupted = sleepUntilInterrupted(Duration.ofSeconds(20));
                    boolean fired = armed.disarm();
                    return interrupted && fired && !Thread.currentThread().isInterrupted() ? "ok" : "not interrupted in time";
                }));
            }
            for (Future<String> outcome : outcomes) {
                assertThat(outcome.get(60, TimeUnit.SECONDS)).isEqualTo("ok");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_never_leave_an_interrupt_behind_when_the_timer_races_the_end_of_the_attempt() {
        AttemptTimer timer = new AttemptTimer();
        for (int i = 0; i < 2_000; i++) {
            AttemptTimer.Armed armed = timer.arm(Duration.ofNanos(50_000 + (i % 7) * 10_000));
            long until = System.nanoTime() + 60_000; // end the "attempt" at about the limit
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            armed.disarm();
            assertThat(Thread.currentThread().isInterrupted()).as("iteration %d", i).isFalse();
        }
    }

    @Test
    void should_bound_an_attempt_inside_an_attempt_on_the_same_thread_separately() {
        AttemptTimer timer = new AttemptTimer();
        AttemptTimer.Armed outer = timer.arm(Duration.ofMinutes(1));
        AttemptTimer.Armed inner = timer.arm(Duration.ofMillis(50));
        assertThat(sleepUntilInterrupted(Duration.ofSeconds(10))).isTrue();
        assertThat(inner.disarm()).isTrue();
        assertThat(outer.disarm()).isFalse();
        assertThat(timer.slotCount()).isEqualTo(1); // the nested attempt's slot is gone, the thread's own stays
    }

    @Test
    void should_drop_the_slots_of_threads_that_ended() throws Exception {
        AttemptTimer timer = new AttemptTimer(Duration.ofMillis(50));
        for (int i = 0; i < 20; i++) {
            Thread caller = new Thread(() -> timer.arm(Duration.ofMillis(20)).disarm());
            caller.start();
            caller.join();
        }
        AttemptTimer.Armed last = timer.arm(Duration.ofMillis(30)); // an attempt that fires makes the timer look at every slot
        assertThat(sleepUntilInterrupted(Duration.ofSeconds(10))).isTrue();
        assertThat(last.disarm()).isTrue();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (timer.slotCount() > 1 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(timer.slotCount()).isEqualTo(1);
    }

    private static boolean sleepUntilInterrupted(Duration max) {
        try {
            Thread.sleep(max.toMillis());
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private static void awaitThreadEnd(AttemptTimer timer, Duration max) throws InterruptedException {
        long until = System.nanoTime() + max.toNanos();
        while (timer.threadAlive() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
    }
}
