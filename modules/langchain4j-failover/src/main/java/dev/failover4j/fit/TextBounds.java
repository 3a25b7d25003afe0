package dev.failover4j.fit;

/**
 * Cheap upper bounds on the number of BPE tokens of a string, for jtokkit encodings. Internal.
 *
 * <p>Why they hold: a byte-pair encoding never produces a token of fewer than one byte, so the tokens
 * of valid text are at most its UTF-8 length. An unpaired surrogate breaks that (the JDK's encoder
 * writes it as one byte, jtokkit may spend more tokens), but every {@code char} still costs at most 3
 * bytes, so {@code 3 × length()} bounds any Java string.
 */
final class TextBounds {

    private TextBounds() {
    }

    /** {@code 3 × length()}: O(1), valid for every string. */
    static long threeTimesLength(String text) {
        return 3L * text.length();
    }

    /**
     * The UTF-8 length of {@code text}, or {@code 3 × length()} if it holds an unpaired surrogate.
     * O(length), with no allocation.
     */
    static long utf8Length(String text) {
        int length = text.length();
        long bytes = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    bytes += 4;
                    i++;
                } else {
                    return threeTimesLength(text);
                }
            } else if (Character.isLowSurrogate(c)) {
                return threeTimesLength(text);
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * {@code text} with each unpaired surrogate replaced by U+FFFD, or {@code text} itself when it has
     * none. jtokkit asserts valid UTF-16 (an {@code AssertionError} under {@code -ea}) and the JSON body
     * cannot carry a lone surrogate either; the 3-byte replacement keeps the bounds above valid.
     */
    static String withoutUnpairedSurrogates(String text) {
        int length = text.length();
        char[] fixed = null;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            if (fixed == null) {
                fixed = text.toCharArray();
            }
            fixed[i] = '\uFFFD';
        }
        return fixed == null ? text : new String(fixed);
    }
}
