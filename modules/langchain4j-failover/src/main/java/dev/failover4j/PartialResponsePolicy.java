package dev.failover4j;

/**
 * What the streaming failover model does when a stream breaks after text was already delivered to
 * the caller's handler. Never: calling {@code onCompleteResponse} for an answer that did not complete.
 */
public enum PartialResponsePolicy {
    /**
     * Default. The next target is asked to continue the partial answer (it is sent as the
     * assistant's prefix with a continuation instruction) and only the new text is emitted; words
     * the continuation repeats at the seam are dropped.
     */
    CONTINUE,
    /** The handler's {@code onError} receives a {@link FailoverException} that carries the partial text. */
    FAIL
}
