package dev.failover4j.fit;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Fits a chat history into a token budget by dropping its oldest turns.
 *
 * <p>Rules:
 * <ul>
 *   <li>Every {@code SystemMessage} and the newest turn (the newest {@link UserMessage} and everything
 *       after it; without a user message, the last unit) are always kept. If they do not fit,
 *       {@link FitResult#fits()} is {@code false} and no messages are returned.</li>
 *   <li>Older messages are dropped oldest first, in units: an {@code AiMessage} with tool execution
 *       requests and the tool results that follow it are kept or dropped together, so no orphan
 *       tool result or unanswered tool call is created. Orphans already in the input are not repaired;
 *       they are kept or dropped like any other unit.</li>
 *   <li>With {@code startWithUserMessage} (default {@code true}), when something was dropped, the kept
 *       history after the system messages starts with a {@link UserMessage}: leading AI and tool units
 *       are dropped too.</li>
 *   <li>The kept part is the largest run of newest units that fits (greedy from the newest).</li>
 * </ul>
 *
 * <p>Cost grows with the window, not with the history: for jtokkit tokenizers a whole history whose
 * cheap upper bound fits is returned without encoding anything; otherwise messages are counted from
 * the newest backwards and counting stops once the budget is full. Per-message counts are cached
 * (bounded, default {@value #DEFAULT_CACHE_SIZE} entries), so a growing conversation only encodes its
 * new messages. The cache holds the messages it has counted.
 *
 * <p>Thread-safe; one instance per target (tokenizer) is intended. The caller's list and messages are
 * never modified.
 */
public final class ContextFitter {

    /** Default number of cached per-message counts. */
    public static final int DEFAULT_CACHE_SIZE = 10_000;

    private static final int TOOL_CACHE_SIZE = 64;

    private final Tokenizer tokenizer;
    private final boolean startWithUserMessage;
    private final boolean boundedByText;
    private final TokenCountCache<ChatMessage> messageCounts;
    private final TokenCountCache<List<ToolSpecification>> toolCounts;

    private ContextFitter(Builder builder) {
        this.tokenizer = builder.tokenizer;
        this.startWithUserMessage = builder.startWithUserMessage;
        // Only jtokkit's BPE counts are known to stay under the text bounds of the fast path.
        this.boundedByText = tokenizer instanceof JtokkitTokenizer;
        this.messageCounts = new TokenCountCache<>(builder.cacheSize);
        this.toolCounts = new TokenCountCache<>(Math.min(builder.cacheSize, TOOL_CACHE_SIZE));
    }

    /**
     * A fitter with the defaults: {@code startWithUserMessage(true)}, {@code cacheSize(}{@value
     * #DEFAULT_CACHE_SIZE}{@code )}.
     *
     * @throws NullPointerException if {@code tokenizer} is null
     */
    public static ContextFitter of(Tokenizer tokenizer) {
        return builder().tokenizer(tokenizer).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The tokenizer this fitter counts with. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Fits {@code messages} and {@code tools} into {@code budgetTokens}.
     *
     * @param messages     the history, oldest first; not modified
     * @param tools        the tool specifications sent with it; {@code null} means none
     * @param budgetTokens tokens available for messages, tools and reply priming (the caller has already
     *                     subtracted the reserved output tokens and any safety margin)
     * @throws NullPointerException     if {@code messages}, one of its elements or a tool is null
     * @throws IllegalArgumentException if {@code messages} is empty or {@code budgetTokens} is negative
     */
    public FitResult fit(List<ChatMessage> messages, List<ToolSpecification> tools, int budgetTokens) {
        Objects.requireNonNull(messages, "messages must not be null");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        if (budgetTokens < 0) {
            throw new IllegalArgumentException("budgetTokens must be >= 0 but was " + budgetTokens);
        }
        List<ChatMessage> view = messages instanceof RandomAccess ? messages : new ArrayList<>(messages);
        long fixed = (long) tokenizer.replyPrimingTokens() + countTools(tools);

        if (boundedByText) {
            long bound = FastPath.upperBound(view, fixed, budgetTokens); // rejects null elements like History.of
            if (bound >= 0) {
                return FitResult.unchangedByBound(messages, bound, budgetTokens);
            }
        }
        return fitByCounting(messages, History.of(view), fixed, budgetTokens);
    }

    private FitResult fitByCounting(List<ChatMessage> input, History history, long fixed, int budget) {
        int size = history.size();
        int requiredStart = history.requiredStart();
        long required = fixed;
        for (int n = 0; n < history.systemCount(); n++) {
            required += count(history.get(history.systemIndex(n)));
        }
        for (int i = requiredStart; i < size; i++) {
            if (!history.isSystem(i)) {
                required += count(history.get(i));
            }
        }
        boolean nothingOlder = history.previousNonSystem(requiredStart - 1) < 0;
        if (required > budget) {
            return FitResult.tooSmall(size, required, nothingOlder, required, budget);
        }

        KeptUnits kept = new KeptUnits(requiredStart, required);
        int end = history.previousNonSystem(requiredStart - 1);
        while (end >= 0) {
            int start = history.unitStart(end);
            long cost = unitCost(history, start, end);
            if (kept.tokens() + cost > budget) {
                boolean exact = history.previousNonSystem(start - 1) < 0;
                return truncate(history, kept, kept.tokens() + cost, exact, required, budget);
            }
            kept.add(start, cost);
            end = history.previousNonSystem(start - 1);
        }
        return FitResult.unchanged(input, kept.tokens(), required, budget);
    }

    private FitResult truncate(History history, KeptUnits kept, long tokensBefore, boolean tokensBeforeExact,
                               long required, int budget) {
        if (startWithUserMessage) {
            while (kept.start() < history.requiredStart() && !(history.get(kept.start()) instanceof UserMessage)) {
                kept.dropOldest();
            }
        }
        int cut = kept.start();
        List<ChatMessage> out = new ArrayList<>(history.systemCount() + history.size() - cut);
        for (int n = 0; n < history.systemCount() && history.systemIndex(n) < cut; n++) {
            out.add(history.get(history.systemIndex(n)));
        }
        for (int i = cut; i < history.size(); i++) {
            out.add(history.get(i));
        }
        return FitResult.truncated(Collections.unmodifiableList(out), history.size(), tokensBefore,
                tokensBeforeExact, kept.tokens(), required, budget);
    }

    private long unitCost(History history, int start, int end) {
        long cost = 0;
        for (int i = start; i <= end; i++) {
            if (!history.isSystem(i)) {
                cost += count(history.get(i));
            }
        }
        return cost;
    }

    private long countTools(List<ToolSpecification> tools) {
        if (tools == null || tools.isEmpty()) {
            return 0;
        }
        for (int i = 0; i < tools.size(); i++) {
            if (tools.get(i) == null) {
                throw new NullPointerException("tools[" + i + "] is null");
            }
        }
        // An immutable copy as the key: the caller may reuse and change its own list.
        return toolCounts.get(List.copyOf(tools), tokenizer::countTools);
    }

    private int count(ChatMessage message) {
        return messageCounts.get(message, tokenizer::countMessage);
    }

    /** Cached per-message counts, for tests. */
    int cachedMessageCounts() {
        return messageCounts.size();
    }

    /**
     * Builder of {@link ContextFitter}. Not thread-safe.
     */
    public static final class Builder {

        private Tokenizer tokenizer;
        private boolean startWithUserMessage = true;
        private int cacheSize = DEFAULT_CACHE_SIZE;

        private Builder() {
        }

        /** The tokenizer to count with. Required. */
        public Builder tokenizer(Tokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /**
         * Whether the kept history (after the system messages) must start with a user message when
         * something was dropped. Default {@code true}: most providers expect a user turn first.
         */
        public Builder startWithUserMessage(boolean startWithUserMessage) {
            this.startWithUserMessage = startWithUserMessage;
            return this;
        }

        /**
         * Maximum number of cached per-message counts; 0 disables the cache. Default {@value
         * #DEFAULT_CACHE_SIZE}.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder cacheSize(int cacheSize) {
            if (cacheSize < 0) {
                throw new IllegalArgumentException("cacheSize must be >= 0 but was " + cacheSize);
            }
            this.cacheSize = cacheSize;
            return this;
        }

        /**
         * @throws NullPointerException if no tokenizer was set
         */
        public ContextFitter build() {
            Objects.requireNonNull(tokenizer, "tokenizer must not be null");
            return new ContextFitter(this);
        }
    }
}
