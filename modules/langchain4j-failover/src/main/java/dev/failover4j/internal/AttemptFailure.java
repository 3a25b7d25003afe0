package dev.failover4j.internal;

/**
 * Carries a classified attempt failure through the Failsafe policies, so each failure is
 * classified once. Stackless: the original error keeps its own stack.
 */
public final class AttemptFailure extends RuntimeException {

    private final Classification classification;

    public AttemptFailure(Classification classification, Throwable original) {
        super(classification.kind().name(), original, false, false); // no detail: it is not redacted yet
        this.classification = classification;
    }

    public Classification classification() {
        return classification;
    }

    public Throwable original() {
        return getCause();
    }
}
