package dev.failover4j.testkit.internal;

import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.FaultKind;
import dev.failover4j.testkit.FaultSchedule;
import dev.failover4j.testkit.RecordedChatRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * The injected and scheduled faults of one endpoint and the decision, per request, of which apply.
 * One lock guards everything: decisions are rare (one per request) and a single lock keeps the seeded
 * random draws and the "next N requests" counts consistent under concurrency.
 */
public final class FaultPlan {

    /** What to do to one request: a total added delay and at most one fault that decides the answer. */
    public record Decision(Duration delay, Fault outcome, List<FaultKind> applied) {
        static final Decision NONE = new Decision(Duration.ZERO, null, List.of());
    }

    private static final class Active {
        final Fault fault;
        int remaining; // -1: unlimited

        Active(Fault fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final Clock clock;
    private final Random random;
    private final List<Active> injected = new ArrayList<>();
    private final List<FaultSchedule> schedules = new ArrayList<>();
    private Instant epoch;

    public FaultPlan(Clock clock, long seed) {
        this.clock = clock;
        this.random = new Random(seed);
        this.epoch = clock.instant();
    }

    public synchronized void inject(Fault fault, int times) {
        injected.add(new Active(fault, times));
    }

    public synchronized void schedule(FaultSchedule schedule) {
        schedules.add(schedule);
    }

    public synchronized void clear() {
        injected.clear();
        schedules.clear();
    }

    /** Restarts the schedule clock: schedule offsets count from now. */
    public synchronized void restartEpoch() {
        epoch = clock.instant();
    }

    public synchronized Instant epoch() {
        return epoch;
    }

    public synchronized Decision decide(RecordedChatRequest request) {
        if (injected.isEmpty() && schedules.isEmpty()) {
            return Decision.NONE;
        }
        Duration elapsed = Duration.between(epoch, clock.instant());
        List<Active> candidates = new ArrayList<>(injected);
        for (FaultSchedule s : schedules) {
            if (s.isActiveAt(elapsed)) {
                candidates.add(new Active(s.fault(), -1));
            }
        }
        Duration delay = Duration.ZERO;
        Fault outcome = null;
        List<FaultKind> applied = new ArrayList<>();
        for (Active a : candidates) {
            Fault f = a.fault;
            boolean isLatency = f.kind() == FaultKind.LATENCY;
            if ((!isLatency && outcome != null) || !applies(f, request) || !fires(f)) {
                continue;
            }
            if (isLatency) {
                delay = delay.plus(f.latency().sample(random));
            } else {
                outcome = f;
            }
            applied.add(f.kind());
            if (a.remaining > 0) {
                a.remaining--;
            }
        }
        for (Iterator<Active> it = injected.iterator(); it.hasNext(); ) {
            if (it.next().remaining == 0) {
                it.remove();
            }
        }
        return new Decision(delay, outcome, List.copyOf(applied));
    }

    private boolean fires(Fault f) {
        return f.probability() >= 1.0 || (f.probability() > 0.0 && random.nextDouble() < f.probability());
    }

    /** Whether {@code fault} can affect {@code request} at all (checked before drawing a random number). */
    static boolean applies(Fault fault, RecordedChatRequest request) {
        return switch (fault.kind()) {
            case HTTP_STATUS, RATE_LIMITED, LATENCY, HANG, DROP_CONNECTION, AUTHENTICATION_FAILED -> true;
            case MALFORMED_JSON, EMPTY_BODY, ERROR_BODY_WITH_200, CONTENT_FILTERED, MODEL_NOT_FOUND ->
                    request.isChatCompletion();
            case CONTEXT_LENGTH_EXCEEDED -> request.isChatCompletion() && request.promptTokens() > fault.threshold();
            case STREAM_CUT, STREAM_STALL, STREAM_ERROR_EVENT -> request.isChatCompletion() && request.stream();
        };
    }
}
