package dev.failover4j.fit;

import dev.langchain4j.data.message.ChatMessage;

import java.util.List;

/**
 * Decides without encoding whether a whole history fits, for jtokkit tokenizers. Internal.
 *
 * <p>Two bounds, both stopping as soon as the budget is exceeded, so neither costs more than the
 * window: first {@code 3 × length()} per text (O(1) per message), then the UTF-8 length (one pass
 * over at most about {@code budget} characters, far cheaper than BPE).
 */
final class FastPath {

    private FastPath() {
    }

    /** An upper bound on the tokens of everything, or -1 if the bound exceeds {@code budget}. */
    static long upperBound(List<ChatMessage> messages, long fixedTokens, long budget) {
        long bound = sum(messages, fixedTokens, budget, TextBounds::threeTimesLength);
        if (bound >= 0) {
            return bound;
        }
        return sum(messages, fixedTokens, budget, TextBounds::utf8Length);
    }

    private static long sum(List<ChatMessage> messages, long fixedTokens, long budget, TextMeasure measure) {
        long total = fixedTokens;
        for (ChatMessage message : messages) {
            total += MessageTokenCounter.count(message, measure);
            if (total > budget) {
                return -1;
            }
        }
        return total;
    }
}
