package dev.failover4j.fit;

import dev.langchain4j.data.message.ChatMessage;

import java.util.List;

/**
 * Decides without encoding whether a whole history fits, for jtokkit tokenizers. Internal.
 *
 * <p>First pass, O(1) per message: sums the fixed costs and the text lengths {@code L}. Since every
 * char is at least one UTF-8 byte, {@code fixed + L} is a lower bound of the byte bound: once it
 * exceeds the budget the history cannot pass, and the pass stops there, so a long history costs
 * no more than the window. If the whole history was walked, {@code fixed + 3L} (valid for any string)
 * may already fit. Only otherwise is the UTF-8 length computed: one pass over at most about
 * {@code budget} chars, still far cheaper than BPE.
 */
final class FastPath {

    private FastPath() {
    }

    /** An upper bound on the tokens of everything, or -1 if no cheap bound fits {@code budget}. */
    static long upperBound(List<ChatMessage> messages, long fixedTokens, long budget) {
        LengthSum lengths = new LengthSum();
        long lowerBound = fixedTokens;
        int index = 0;
        for (ChatMessage message : messages) {
            if (message == null) {
                throw new NullPointerException("messages[" + index + "] is null");
            }
            index++;
            lowerBound += MessageTokenCounter.count(message, lengths);
            if (lowerBound > budget) {
                return -1;
            }
        }
        long threeTimesLength = lowerBound + 2 * lengths.chars;
        if (threeTimesLength <= budget) {
            return threeTimesLength;
        }
        long utf8 = fixedTokens;
        for (ChatMessage message : messages) {
            utf8 += MessageTokenCounter.count(message, TextBounds::utf8Length);
            if (utf8 > budget) {
                return -1;
            }
        }
        return utf8;
    }

    /** Measures text by its length and remembers the total. */
    private static final class LengthSum implements TextMeasure {

        long chars;

        @Override
        public long measure(String text) {
            chars += text.length();
            return text.length();
        }
    }
}
