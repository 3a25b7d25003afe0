package dev.failover4j.internal;

import dev.failover4j.CircuitState;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailureKind;
import dev.failover4j.SkipReason;
import dev.failover4j.health.TargetHealthSnapshot;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.TimeoutExceededException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One target's health: a Failsafe {@link CircuitBreaker} plus the cool-downs the breaker cannot
 * express (Retry-After, authentication, model not found).
 *
 * <p>Failsafe counts failures (≥ {@code failureRateThreshold} of the last {@code failureRateWindow}),
 * admits half-open trial calls and closes after {@code halfOpenSuccessThreshold} successes. Two
 * things are ours: opening after {@code consecutiveFailureThreshold} consecutive failures (a Failsafe
 * breaker has one threshold), and how long it stays open, measured on the injected {@link Clock}
 * so that cool-downs of any length (a 404's five minutes, a 401's breaker delay) are one mechanism
 * and tests move a fake clock instead of sleeping. Failsafe's own delay is set out of reach.
 */
public final class TargetHealth {

    private static final VarHandle RATE_LIMITED_UNTIL;

    static {
        try {
            RATE_LIMITED_UNTIL = MethodHandles.lookup().findVarHandle(TargetHealth.class, "rateLimitedUntil", Instant.class);
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
    /** Whether a last-resort trial on this open target is running (at most one at a time). */
    private final AtomicBoolean lastResortTrial = new AtomicBoolean();
    private volatile Instant openUntil = Instant.MIN;
    private volatile SkipReason openReason = SkipReason.CIRCUIT_OPEN;
    /** {@link Instant#MIN} when not rate-limited, so that the healthy path need not read the clock. */
    private volatile Instant rateLimitedUntil = Instant.MIN;

    /**
     * @param onStateChange receives (from, to) for every breaker transition, on the thread that caused it
     */
    public TargetHealth(String target, FailoverConfig config, Clock clock, BiConsumer<CircuitState, CircuitState> onStateChange) {
        this.target = target;
        this.config = config;
        this.clock = clock;
        this.breaker = CircuitBreaker.<Object>builder()
                .handleIf(TargetHealth::isHealthFailure)
                .withFailureThreshold(config.failureRateThreshold(), config.failureRateWindow())
                .withSuccessThreshold(config.halfOpenSuccessThreshold())
                .withDelay(NEVER_BY_ITSELF)
                .onOpen(e -> {
                    openedByFailsafe();
                    onStateChange.accept(stateOf(e.getPreviousState()), CircuitState.OPEN);
                })
                .onHalfOpen(e -> onStateChange.accept(stateOf(e.getPreviousState()), CircuitState.HALF_OPEN))
                .onClose(e -> {
                    consecutiveFailures.set(0);
                    onStateChange.accept(stateOf(e.getPreviousState()), CircuitState.CLOSED);
                })
                .build();
    }

    /** A failure the breaker counts: one that says the target is unhealthy, not that the request was wrong. */
    private static boolean isHealthFailure(Throwable e) {
        if (e instanceof AttemptFailure failure) {
            FailureKind kind = failure.classification().kind();
            return kind.countsAgainstHealth() || kind == FailureKind.AUTHENTICATION || kind == FailureKind.MODEL_NOT_FOUND
                    || kind == FailureKind.REGION_BLOCKED;
        }
        return e instanceof TimeoutExceededException;
    }

    public String target() {
        return target;
    }

    public CircuitBreaker<Object> breaker() {
        return breaker;
    }

    /**
     * Decides whether the target may be called now. Moves an open breaker whose time is up to
     * half-open, which admits trial calls.
     *
     * @return null when the target may be called, else why not
     */
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

    /** @return how long until a rate-limited target may be called again (zero when it may now) */
    public Duration rateLimitRemaining() {
        Duration left = Duration.between(clock.instant(), rateLimitedUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** @return how long until an open breaker admits a trial call (zero when not open) */
    public Duration openRemaining() {
        if (!breaker.isOpen()) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), openUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public void recordSuccess() {
        if (consecutiveFailures.get() != 0) { // no write (and no cache-line transfer between callers) when healthy
            consecutiveFailures.set(0);
        }
    }

    /** Applies a failure's consequences; the breaker's own counting happens in Failsafe. */
    public void recordFailure(Classification failure) {
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

    /** An attempt timeout, seen by Failsafe rather than by the attempt itself. */
    public void recordTimeout() {
        recordFailure(new Classification(FailureKind.TIMEOUT, 0, null, "attempt timeout"));
    }

    /**
     * Claims the one last-resort trial this open target may have at a time: when no target could be called
     * only because breakers are open, a call still tries the most promising open one (Envoy's panic
     * threshold, in spirit), so that a blip on every provider does not outlast their recovery.
     *
     * @return whether the caller may run the trial; it must call {@link #endLastResortTrial} after it
     */
    public boolean tryStartLastResortTrial() {
        return lastResortTrial.compareAndSet(false, true);
    }

    public void endLastResortTrial() {
        lastResortTrial.set(false);
    }

    /**
     * A last-resort trial answered: the breaker goes half-open with that success counted, so it closes by its
     * own rule ({@code halfOpenSuccessThreshold} successes); a failure in half-open opens it for a full delay again.
     */
    public synchronized void lastResortTrialSucceeded() {
        if (breaker.isOpen()) {
            openUntil = clock.instant();
            breaker.halfOpen();
        }
        breaker.recordSuccess();
    }

    /** Closes the breaker and clears every cool-down, e.g. after a successful probe. */
    public void reset() {
        rateLimitedUntil = Instant.MIN;
        openUntil = Instant.MIN;
        consecutiveFailures.set(0);
        breaker.close();
    }

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
}
