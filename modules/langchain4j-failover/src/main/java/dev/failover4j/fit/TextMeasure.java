package dev.failover4j.fit;

/**
 * Measures one piece of text in tokens: either a real count or a cheap upper bound. Internal.
 */
@FunctionalInterface
interface TextMeasure {

    /** Returns the tokens of {@code text} (never called with {@code null}). */
    long measure(String text);
}
