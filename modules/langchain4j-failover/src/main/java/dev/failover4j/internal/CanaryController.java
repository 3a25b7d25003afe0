package dev.failover4j.internal;

import dev.failover4j.CanaryRamp;
import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverListener;
import java.time.Clock;
import java.util.List;

/**
 * Runs one {@link CanaryRamp}: listens to the canary's attempt events, takes the next step when a step's time
 * is up with enough attempts and few enough failures, rolls the canary back to weight 0 (restoring the others)
 * as soon as its failure rate in the step exceeds the ramp's maximum. Emits its own events. Thread-safe.
 */
final class CanaryController implements FailoverListener {

    private final CanaryRamp ramp;
    private final TargetRuntime canary;
    private final List<TargetRuntime> others;
    private final int[] otherWeights;
    private final Clock clock;
    private final ListenerNotifier notifier;
    private int step;
    private long stepStart;
    private int attempts;
    private int failures;
    private boolean done;

    CanaryController(CanaryRamp ramp, TargetRuntime canary, List<TargetRuntime> others, Clock clock, ListenerNotifier notifier) {
        this.ramp = ramp;
        this.canary = canary;
        this.others = List.copyOf(others);
        this.otherWeights = others.stream().mapToInt(o -> o.weight().get()).toArray();
        this.clock = clock;
        this.notifier = notifier;
    }

    synchronized void start() {
        enter(0, 0);
    }

    @Override
    public void onEvent(FailoverEvent event) {
        if (event instanceof FailoverEvent.AttemptSucceeded succeeded && succeeded.target().equals(canary.name())) {
            ended(event.callId(), false);
        } else if (event instanceof FailoverEvent.AttemptFailed failed && failed.target().equals(canary.name())
                && failed.failure().countsAgainstHealth()) {
            ended(event.callId(), true);
        }
    }

    private synchronized void ended(long callId, boolean failure) {
        if (done) {
            return;
        }
        attempts++;
        failures += failure ? 1 : 0;
        double errorRate = (double) failures / attempts;
        if (attempts >= ramp.minAttemptsPerStep() && errorRate > ramp.maxErrorRate()) {
            rollBack(callId, errorRate);
        } else if (attempts >= ramp.minAttemptsPerStep() && clock.millis() - stepStart >= ramp.stepDuration().toMillis()) {
            if (step + 1 < ramp.steps().length) {
                enter(step + 1, callId);
            } else {
                done = true; // the last step held: the canary keeps its share
            }
        }
    }

    private void enter(int next, long callId) {
        step = next;
        stepStart = clock.millis();
        attempts = 0;
        failures = 0;
        int percent = ramp.steps()[step];
        int othersTotal = 0;
        for (int weight : otherWeights) {
            othersTotal += weight;
        }
        if (percent >= 100) {
            others.forEach(o -> o.weight().set(0));
            canary.weight().set(Math.max(1, canary.target().weight()));
        } else {
            canary.weight().set(Math.max(1, Math.round(percent * (float) othersTotal / (100 - percent))));
        }
        notifier.notify(new FailoverEvent.CanaryStepped(callId, canary.name(), percent));
    }

    private void rollBack(long callId, double errorRate) {
        done = true;
        canary.weight().set(0);
        for (int i = 0; i < others.size(); i++) {
            others.get(i).weight().set(otherWeights[i]);
        }
        notifier.notify(new FailoverEvent.CanaryRolledBack(callId, canary.name(), ramp.steps()[step], errorRate, attempts));
    }
}
