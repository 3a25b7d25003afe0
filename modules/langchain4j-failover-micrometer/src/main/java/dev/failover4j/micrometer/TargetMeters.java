package dev.failover4j.micrometer;

import static dev.failover4j.micrometer.TagValues.CHAT;
import static dev.failover4j.micrometer.TagValues.ERROR_TYPE;
import static dev.failover4j.micrometer.TagValues.FAILED;
import static dev.failover4j.micrometer.TagValues.FAILED_OVER;
import static dev.failover4j.micrometer.TagValues.INPUT;
import static dev.failover4j.micrometer.TagValues.KIND;
import static dev.failover4j.micrometer.TagValues.NONE;
import static dev.failover4j.micrometer.TagValues.OPERATION_NAME;
import static dev.failover4j.micrometer.TagValues.OUTCOME;
import static dev.failover4j.micrometer.TagValues.OUTPUT;
import static dev.failover4j.micrometer.TagValues.REASON;
import static dev.failover4j.micrometer.TagValues.REQUEST_MODEL;
import static dev.failover4j.micrometer.TagValues.SERVED;
import static dev.failover4j.micrometer.TagValues.STARTED;
import static dev.failover4j.micrometer.TagValues.SUCCEEDED;
import static dev.failover4j.micrometer.TagValues.TARGET;
import static dev.failover4j.micrometer.TagValues.TO;
import static dev.failover4j.micrometer.TagValues.TOKEN_TYPE;
import static dev.failover4j.micrometer.TagValues.WON;

import dev.failover4j.CircuitState;
import dev.failover4j.FailoverEvent.CallSucceeded;
import dev.failover4j.FailureKind;
import dev.failover4j.SkipReason;
import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;

/** One target's event-fed meters in one registry, each registered at its first use. */
final class TargetMeters {

    private static final String[] KINDS = TagValues.lowerCase(FailureKind.class);
    private static final String[] SKIP_REASONS = TagValues.lowerCase(SkipReason.class);
    private static final String[] STATES = TagValues.lowerCase(CircuitState.class);

    /** Slot 0 served at once, 1 failed over. */
    private final MeterSlots<Timer> durations;
    /** Slot 0 input, 1 output. */
    private final MeterSlots<DistributionSummary> tokens;
    /** Slot 0 succeeded, 1 + i failed with the i-th {@link FailureKind}. */
    private final MeterSlots<Counter> attempts;
    private final MeterSlots<Counter> skips;
    private final MeterSlots<Counter> transitions;
    private final MeterSlots<Counter> truncations;
    private final MeterSlots<Counter> continuations;
    /** Slot 0 started on this target, 1 won by it. */
    private final MeterSlots<Counter> hedges;

    TargetMeters(GroupMeters owner, String target, String model) {
        this.durations = new MeterSlots<>(2, slot -> owner.keep(Timer.builder(FailoverMetrics.OPERATION_DURATION)
                .description("GenAI operation duration: the whole failover call, retries and fallbacks included")
                .tags(owner.tags).tag(OPERATION_NAME, CHAT).tag(REQUEST_MODEL, model).tag(TARGET, target)
                .tag(OUTCOME, slot == 0 ? SERVED : FAILED_OVER).tag(ERROR_TYPE, NONE)
                .register(owner.registry)));
        this.tokens = new MeterSlots<>(2, slot -> owner.keep(DistributionSummary.builder(FailoverMetrics.TOKEN_USAGE)
                .description("Tokens per served call, as the provider reported them")
                .baseUnit("tokens")
                .tags(owner.tags).tag(OPERATION_NAME, CHAT).tag(REQUEST_MODEL, model).tag(TARGET, target)
                .tag(TOKEN_TYPE, slot == 0 ? INPUT : OUTPUT)
                .register(owner.registry)));
        this.attempts = new MeterSlots<>(1 + KINDS.length, slot -> owner.keep(Counter.builder(FailoverMetrics.ATTEMPTS)
                .description("Attempts sent to the target, by outcome and failure kind")
                .tags(owner.tags).tag(TARGET, target)
                .tag(OUTCOME, slot == 0 ? SUCCEEDED : FAILED).tag(KIND, slot == 0 ? NONE : KINDS[slot - 1])
                .register(owner.registry)));
        this.skips = new MeterSlots<>(SKIP_REASONS.length, slot -> owner.keep(Counter.builder(FailoverMetrics.SKIPS)
                .description("Times the target was not called, by reason")
                .tags(owner.tags).tag(TARGET, target).tag(REASON, SKIP_REASONS[slot])
                .register(owner.registry)));
        this.transitions = new MeterSlots<>(STATES.length, slot -> owner.keep(Counter.builder(FailoverMetrics.CIRCUIT_TRANSITIONS)
                .description("The target's circuit breaker transitions, by the state entered")
                .tags(owner.tags).tag(TARGET, target).tag(TO, STATES[slot])
                .register(owner.registry)));
        this.truncations = new MeterSlots<>(1, slot -> owner.keep(Counter.builder(FailoverMetrics.HISTORY_TRUNCATED)
                .description("Histories shortened to fit the target's context window")
                .tags(owner.tags).tag(TARGET, target)
                .register(owner.registry)));
        this.continuations = new MeterSlots<>(1, slot -> owner.keep(Counter.builder(FailoverMetrics.STREAM_CONTINUATIONS)
                .description("Streams of this target that broke after text and were continued by the next target")
                .tags(owner.tags).tag(TARGET, target)
                .register(owner.registry)));
        this.hedges = new MeterSlots<>(2, slot -> owner.keep(Counter.builder(FailoverMetrics.HEDGES)
                .description("Hedged attempts sent to this target beside a slow one, and those that answered first")
                .tags(owner.tags).tag(TARGET, target).tag(OUTCOME, slot == 0 ? STARTED : WON)
                .register(owner.registry)));
    }

    void hedgeStarted() {
        hedges.get(0).increment();
    }

    void hedgeWon() {
        hedges.get(1).increment();
    }

    void served(CallSucceeded call) {
        durations.get(call.failedOver() ? 1 : 0).record(call.duration());
        TokenUsage usage = call.tokenUsage();
        if (usage != null) {
            if (usage.inputTokenCount() != null) {
                tokens.get(0).record(usage.inputTokenCount());
            }
            if (usage.outputTokenCount() != null) {
                tokens.get(1).record(usage.outputTokenCount());
            }
        }
    }

    void attemptSucceeded() {
        attempts.get(0).increment();
    }

    void attemptFailed(FailureKind kind) {
        attempts.get(1 + kind.ordinal()).increment();
    }

    void skipped(SkipReason reason) {
        skips.get(reason.ordinal()).increment();
    }

    void transition(CircuitState to) {
        transitions.get(to.ordinal()).increment();
    }

    void truncated() {
        truncations.get(0).increment();
    }

    void streamContinued() {
        continuations.get(0).increment();
    }
}
