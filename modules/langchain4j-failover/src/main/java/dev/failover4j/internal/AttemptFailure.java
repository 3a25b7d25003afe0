package dev.failover4j.internal;

/**
 * Carries a classified attempt failure through the Failsafe retry policy, so each failure is classified
 * once, together with the call's {@link RetryPlan} (the policy is shared by every call; the plan is this
 * call's). Stackless: the original error keeps its own stack. Never leaves this package.
 */
final class AttemptFailure extends RuntimeException {

    private final Classification classification;
    private final RetryPlan plan;

    AttemptFailure(Classification classification, Throwable original, RetryPlan plan) {
        super(classification.kind().name(), original, false, false); // no detail: it is not redacted yet
        this.classification = classification;
        this.plan = plan;
    }

    Classification classification() {
        return classification;
    }

    Throwable original() {
        return getCause();
    }

    RetryPlan plan() {
        return plan;
    }
}
