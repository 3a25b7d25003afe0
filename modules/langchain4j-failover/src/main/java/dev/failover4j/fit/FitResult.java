package dev.failover4j.fit;

import dev.langchain4j.data.message.ChatMessage;

import java.util.List;

/**
 * The outcome of {@link ContextFitter#fit}: the messages to send and what fitting them cost.
 * Immutable and thread-safe.
 *
 * <p>Token figures include the tools and the reply priming, i.e. they are comparable with
 * {@link #budgetTokens()}.
 */
public final class FitResult {

    private final boolean fits;
    private final List<ChatMessage> messages;
    private final int messagesBefore;
    private final int tokensBefore;
    private final boolean tokensBeforeExact;
    private final int tokensAfter;
    private final boolean tokensAfterExact;
    private final int requiredTokens;
    private final int budgetTokens;

    private FitResult(boolean fits, List<ChatMessage> messages, int messagesBefore, long tokensBefore,
                      boolean tokensBeforeExact, long tokensAfter, boolean tokensAfterExact,
                      long requiredTokens, int budgetTokens) {
        this.fits = fits;
        this.messages = messages;
        this.messagesBefore = messagesBefore;
        this.tokensBefore = AbstractTokenizer.saturate(tokensBefore);
        this.tokensBeforeExact = tokensBeforeExact;
        this.tokensAfter = AbstractTokenizer.saturate(tokensAfter);
        this.tokensAfterExact = tokensAfterExact;
        this.requiredTokens = AbstractTokenizer.saturate(requiredTokens);
        this.budgetTokens = budgetTokens;
    }

    /** Everything fit, nothing encoded: the tokens are an upper bound. */
    static FitResult unchangedByBound(List<ChatMessage> input, long upperBound, int budget) {
        return new FitResult(true, input, input.size(), upperBound, false, upperBound, false, upperBound, budget);
    }

    /** Everything fit and was counted. */
    static FitResult unchanged(List<ChatMessage> input, long tokens, long required, int budget) {
        return new FitResult(true, input, input.size(), tokens, true, tokens, true, required, budget);
    }

    static FitResult truncated(List<ChatMessage> kept, int messagesBefore, long tokensBefore,
                               boolean tokensBeforeExact, long tokensAfter, long required, int budget) {
        return new FitResult(true, kept, messagesBefore, tokensBefore, tokensBeforeExact, tokensAfter, true,
                required, budget);
    }

    static FitResult tooSmall(int messagesBefore, long tokensBefore, boolean tokensBeforeExact, long required,
                              int budget) {
        return new FitResult(false, List.of(), messagesBefore, tokensBefore, tokensBeforeExact, 0, true,
                required, budget);
    }

    /** {@code false} when even the always-kept part (system messages, newest turn, tools) exceeds the budget. */
    public boolean fits() {
        return fits;
    }

    /**
     * The messages to send, in their original order. The very list given to {@code fit} when nothing was
     * dropped; otherwise a new unmodifiable list; empty when {@link #fits()} is {@code false}.
     */
    public List<ChatMessage> messages() {
        return messages;
    }

    /** Whether some (but not all) messages were dropped; {@code false} when {@link #fits()} is false. */
    public boolean truncated() {
        return fits && messages.size() < messagesBefore;
    }

    /** Number of messages given to {@code fit}. */
    public int messagesBefore() {
        return messagesBefore;
    }

    /** Number of messages in {@link #messages()}. */
    public int messagesAfter() {
        return messages.size();
    }

    /**
     * Tokens of the whole input (messages, tools, priming). Exact when {@link #tokensBeforeExact()};
     * otherwise a lower bound when messages were dropped (counting stops once the budget is full), or
     * the same upper bound as {@link #tokensAfter()} when the fast path encoded nothing.
     */
    public int tokensBefore() {
        return tokensBefore;
    }

    /** Whether {@link #tokensBefore()} is the tokenizer's full count rather than a bound. */
    public boolean tokensBeforeExact() {
        return tokensBeforeExact;
    }

    /**
     * Tokens of {@link #messages()} plus tools and priming, as the tokenizer counts them; an upper bound
     * (never above the budget) when the fast path skipped encoding ({@link #tokensAfterExact()} is
     * false); 0 when nothing fits.
     */
    public int tokensAfter() {
        return tokensAfter;
    }

    /** {@code false} when {@link #tokensAfter()} is the fast path's upper bound rather than a count. */
    public boolean tokensAfterExact() {
        return tokensAfterExact;
    }

    /**
     * Tokens of the part that is always kept: system messages, the newest turn, tools and priming. When
     * the fast path applied it is the upper bound of everything (nothing was counted).
     */
    public int requiredTokens() {
        return requiredTokens;
    }

    /** The budget the messages were fitted into. */
    public int budgetTokens() {
        return budgetTokens;
    }

    @Override
    public String toString() {
        return "FitResult[fits=" + fits + ", messages " + messagesBefore + " -> " + messages.size()
                + ", tokens " + (tokensBeforeExact ? "" : "~") + tokensBefore + " -> "
                + (tokensAfterExact ? "" : "<=") + tokensAfter + ", required=" + requiredTokens
                + ", budget=" + budgetTokens + "]";
    }
}
