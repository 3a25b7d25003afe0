package dev.failover4j.spi;

import static java.lang.invoke.MethodHandles.lookup;

import dev.failover4j.CircuitState;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailureKind;
import dev.failover4j.SkipReason;
import dev.failover4j.health.TargetHealthSnapshot;
import dev.failsafe.CircuitBreaker;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One target's state in this JVM, the default {@link TargetState} (thread-safe): a Failsafe {@link CircuitBreaker} used standalone (permits, recorded
 * results) plus what the breaker cannot express (Retry-After, authentication, model not found, region
 * block, consecutive failures, last-resort trials).
 *
 * <p>Failsafe counts failures (≥ {@code failureRateThreshold} of the last {@code failureRateWindow}),
 * hands out half-open permits and closes after {@code halfOpenSuccessThreshold} successes. Ours: opening
 * after {@code consecutiveFailureThreshold} consecutive failures (a Failsafe breaker has one threshold),
 * and how long it stays open, on the injected {@link Clock}, so cool-downs of any length are one
 * mechanism and tests move a fake clock; Failsafe's own delay is set out of reach. Every change comes
 * from {@link #record}, {@link #recordLastResort}, {@link #recordProbe} or {@link #reset}.
 */
public final class InMemoryTargetState implements TargetState {

    private static final VarHandle RATE_LIMITED_UNTIL;

    static {
        try {
            RATE_LIMITED_UNTIL = lookup().findVarHandle(InMemoryTargetState.class, "rateLimitedUntil", Instant.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final Duration NEVER_BY_ITSELF = Duration.ofDays(3650);

    private final String target;
    private final FailoverConfig config;
    private final Clock clock;
    private final CircuitBreaker<Object> breaker;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicBoolean lastResortTrial = new AtomicBoolean();
    private volatile Instant openUntil = Instant.MIN;
    private volatile SkipReason openReason = SkipReason.CIRCUIT_OPEN;
    /** {@link Instant#MIN} when not rate-limited (compared by identity), so that the healthy path need not read the clock. */
    private volatile Instant rateLimitedUntil = Instant.MIN;

    /** @param context the target, the group's settings and clock, and who is told of breaker transitions */
    public InMemoryTargetState(TargetStateFactory.Context context) {
        this.target = context.target();
        this.config = context.config();
        this.clock = context.clock();
        TargetStateFactory.BreakerListener onStateChange = context.listener();
        this.breaker = CircuitBreaker.<Object>builder()
                .withFailureThreshold(config.failureRateThreshold(), config.failureRateWindow())
                .withSuccessThreshold(config.halfOpenSuccessThreshold())
                .withDelay(NEVER_BY_ITSELF)
                .onOpen(e -> {
                    openedByFailsafe();
                    onStateChange.onTransition(stateOf(e.getPreviousState()), CircuitState.OPEN);
                })
                .onHalfOpen(e -> onStateChange.onTransition(stateOf(e.getPreviousState()), CircuitState.HALF_OPEN))
                .onClose(e -> {
                    consecutiveFailures.set(0);
                    onStateChange.onTransition(stateOf(e.getPreviousState()), CircuitState.CLOSED);
                })
                .build();
    }

    @Override
    public SkipReason admission() {
        Instant limitedUntil = rateLimitedUntil;
        if (limitedUntil == Instant.MIN && breaker.isClosed()) {
            return null; // the healthy path: nothing to compare with the clock
        }
        Instant now = clock.instant();
        if (breaker.isOpen()) {
            if (now.isBefore(openUntil)) {
                return openReason;
            }
            breaker.halfOpen();
        }
        if (now.isBefore(limitedUntil)) {
            return SkipReason.RATE_LIMITED;
        }
        if (limitedUntil != Instant.MIN) {
            RATE_LIMITED_UNTIL.compareAndSet(this, limitedUntil, Instant.MIN); // over; unless a new 429 moved it meanwhile
        }
        return null;
    }

    @Override
    public boolean tryAcquirePermit() {
        return breaker.isClosed() || breaker.tryAcquirePermit();
    }

    @Override
    public void record(AttemptResult result) {
        if (result instanceof AttemptResult.Failure failure) {
            recordFailure(failure);
        } else if (result instanceof AttemptResult.Success) {
            recordSuccess();
        } else {
            releasePermit();
        }
    }

    /**
     * Ends a permit without a verdict. Failsafe releases a half-open permit only by recording a result, so a
     * half-open breaker counts it as a success (rare: a trial call abandoned); a closed one records nothing.
     */
    private void releasePermit() {
        if (!breaker.isClosed()) {
            breaker.recordSuccess();
        }
    }

    @Override
    public boolean tryAcquireLastResortPermit() {
        return lastResortTrial.compareAndSet(false, true);
    }

    @Override
    public void recordLastResort(AttemptResult result) {
        try {
            if (result instanceof AttemptResult.Failure failure) {
                applyCoolDowns(failure);
            } else if (result instanceof AttemptResult.Success) {
                lastResortSucceeded();
            }
        } finally {
            lastResortTrial.set(false);
        }
    }

    @Override
    public void recordProbe(AttemptResult result) {
        if (result instanceof AttemptResult.Failure failure) {
            applyCoolDowns(failure); // no permit was taken: the breaker's window is left alone
        } else if (result instanceof AttemptResult.Success) {
            reset();
        }
    }

    /**
     * A success on a closed breaker whose window already holds only successes changes nothing (the last N results
     * are the same either way, whatever comes next), so it is not recorded: every healthy call spares the
     * breaker's lock. Otherwise Failsafe records it (and releases a half-open permit).
     */
    private void recordSuccess() {
        if (consecutiveFailures.get() != 0) { // no write (and no cache-line transfer between callers) when healthy
            consecutiveFailures.set(0);
        }
        if (!breaker.isClosed() || breaker.getFailureCount() > 0 || breaker.getExecutionCount() < config.failureRateWindow()) {
            breaker.recordSuccess();
        }
    }

    private void recordFailure(AttemptResult.Failure failure) {
        if (opensTheBreaker(failure.kind())) {
            breaker.recordFailure();
        } else {
            breaker.recordSuccess(); // not the target's health (a 429, the caller's 400...): ends the attempt's permit
        }
        applyCoolDowns(failure);
    }

    /** A failure the breaker counts: one that says the target is unhealthy, not that the request was wrong. */
    private static boolean opensTheBreaker(FailureKind kind) {
        return kind.countsAgainstHealth() || kind == FailureKind.AUTHENTICATION || kind == FailureKind.MODEL_NOT_FOUND
                || kind == FailureKind.REGION_BLOCKED;
    }

    /** The consequences the breaker's window does not express. */
    private void applyCoolDowns(AttemptResult.Failure failure) {
        switch (failure.kind()) {
            case RATE_LIMITED -> rateLimitedUntil = clock.instant().plus(clamp(
                    failure.retryAfter() != null ? failure.retryAfter() : config.rateLimitCooldown()));
            case AUTHENTICATION -> open(SkipReason.AUTHENTICATION_FAILED, config.breakerDelay());
            case MODEL_NOT_FOUND -> open(SkipReason.MODEL_NOT_FOUND, config.modelNotFoundCooldown());
            case REGION_BLOCKED -> open(SkipReason.REGION_BLOCKED, config.regionBlockedCooldown());
            default -> {
                if (failure.kind().countsAgainstHealth()
                        && consecutiveFailures.incrementAndGet() >= config.consecutiveFailureThreshold()) {
                    open(SkipReason.CIRCUIT_OPEN, config.breakerDelay());
                }
            }
        }
    }

    /**
     * A last-resort trial answered: the breaker goes half-open with that success counted, so it closes by its own
     * rule; a failure in half-open opens it for a full delay again.
     */
    private synchronized void lastResortSucceeded() {
        consecutiveFailures.set(0);
        if (breaker.isOpen()) {
            openUntil = clock.instant();
            breaker.halfOpen();
        }
        breaker.recordSuccess();
    }

    @Override
    public synchronized void reset() {
        rateLimitedUntil = Instant.MIN;
        openUntil = Instant.MIN;
        consecutiveFailures.set(0);
        breaker.close();
    }

    @Override
    public Duration rateLimitRemaining() {
        Duration left = Duration.between(clock.instant(), rateLimitedUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    @Override
    public Duration openRemaining() {
        if (!breaker.isOpen()) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), openUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    @Override
    public TargetHealthSnapshot snapshot() {
        Instant now = clock.instant();
        CircuitState state = stateOf(breaker.getState());
        return new TargetHealthSnapshot(
                target,
                state,
                state == CircuitState.OPEN ? openReason : null,
                state == CircuitState.OPEN ? openUntil : null,
                now.isBefore(rateLimitedUntil) ? rateLimitedUntil : null,
                consecutiveFailures.get());
    }

    private synchronized void open(SkipReason reason, Duration duration) {
        Instant until = clock.instant().plus(duration);
        if (breaker.isOpen() && until.isBefore(openUntil)) {
            return; // already out for longer
        }
        openReason = reason;
        openUntil = until;
        breaker.open();
    }

    private synchronized void openedByFailsafe() {
        Instant now = clock.instant();
        if (!openUntil.isAfter(now)) {
            openReason = SkipReason.CIRCUIT_OPEN;
            openUntil = now.plus(config.breakerDelay());
        }
    }

    private Duration clamp(Duration wait) {
        return wait.compareTo(config.maxRetryAfter()) > 0 ? config.maxRetryAfter() : wait;
    }

    private static CircuitState stateOf(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> CircuitState.CLOSED;
            case OPEN -> CircuitState.OPEN;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
        };
    }

    @Override
    public String toString() {
        return "InMemoryTargetState{" + target + ", " + breaker.getState() + "}";
    }
}
