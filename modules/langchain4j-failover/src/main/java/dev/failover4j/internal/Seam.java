package dev.failover4j.internal;

/**
 * Joins a continuation to the text already delivered: a continuing model often repeats the last
 * words before going on. The first {@value #DECIDE_AT} characters of the continuation are held back,
 * the longest overlap with the end of the delivered text (at least {@value #MIN_OVERLAP}
 * characters) is dropped, and the rest flows through. Not thread-safe: one per continuation.
 */
final class Seam {

    static final int DECIDE_AT = 48;
    static final int MIN_OVERLAP = 4;
    private static final int TAIL = 400;

    private final String delivered;
    private final StringBuilder pending = new StringBuilder();
    private boolean decided;

    Seam(CharSequence delivered) {
        int from = Math.max(0, delivered.length() - TAIL);
        this.delivered = delivered.subSequence(from, delivered.length()).toString();
    }

    /** @return the part of {@code chunk} that may be delivered now (possibly empty) */
    String accept(String chunk) {
        if (decided) {
            return chunk;
        }
        pending.append(chunk);
        return pending.length() < DECIDE_AT ? "" : decide();
    }

    /** @return whatever is still held back, with the overlap dropped; call at the end of the stream */
    String flush() {
        return decided ? "" : decide();
    }

    private String decide() {
        decided = true;
        String text = pending.toString();
        pending.setLength(0);
        return text.substring(overlap(delivered, text));
    }

    /** @return the length of the longest prefix of {@code after} that {@code before} ends with, or 0 */
    static int overlap(String before, String after) {
        for (int k = Math.min(before.length(), after.length()); k >= MIN_OVERLAP; k--) {
            if (before.regionMatches(before.length() - k, after, 0, k)) {
                return k;
            }
        }
        return 0;
    }
}
