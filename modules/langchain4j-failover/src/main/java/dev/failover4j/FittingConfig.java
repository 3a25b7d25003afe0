package dev.failover4j;

import static dev.failover4j.internal.Validation.requirePositive;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How histories are fitted to each target's context window. Immutable and thread-safe.
 *
 * <p>Budget per target = context window − reserved output tokens − safety margin; the history,
 * tool specifications and reply priming must fit in it. Reserved output tokens are the request's
 * {@code maxOutputTokens}, else the target's {@code maxOutputTokens}, else
 * {@link #DEFAULT_RESERVED_OUTPUT_TOKENS} capped at a quarter of the window. The safety margin is
 * the target's, by default {@link FailoverTarget#DEFAULT_APPROXIMATION_MARGIN_RATIO} of the window
 * when its tokenizer only approximates the model's (Claude, Gemini, Llama... behind an OpenAI API)
 * and zero when it is exact.
 */
public final class FittingConfig {

    /** Output tokens reserved when neither the request nor the target says (capped at window / 4). */
    public static final int DEFAULT_RESERVED_OUTPUT_TOKENS = 4_096;
    public static final FitStrategy DEFAULT_FIT_STRATEGY = FitStrategy.TRUNCATE_FOR_PRIMARY;
    /** After a cut, the kept history (after system messages) starts with a user message. */
    public static final boolean DEFAULT_START_WITH_USER_MESSAGE = true;

    private static final FittingConfig DEFAULTS = builder().build();

    private final FitStrategy strategy;
    private final int defaultReservedOutputTokens;
    private final boolean startWithUserMessage;
    /** The settings named when this was built, for {@link #mergedInto}. */
    private final Set<String> named;

    private FittingConfig(Builder builder) {
        this.strategy = Objects.requireNonNull(builder.strategy, "strategy");
        this.defaultReservedOutputTokens = requirePositive(builder.defaultReservedOutputTokens, "defaultReservedOutputTokens");
        this.startWithUserMessage = builder.startWithUserMessage;
        this.named = Set.copyOf(builder.named);
    }

    public static FittingConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return a copy with another strategy and every other setting kept */
    public FittingConfig withStrategy(FitStrategy strategy) {
        return toBuilder().strategy(strategy).build();
    }

    /** @return a builder holding this config's values */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.strategy = strategy;
        builder.defaultReservedOutputTokens = defaultReservedOutputTokens;
        builder.startWithUserMessage = startWithUserMessage;
        builder.named.addAll(named);
        return builder;
    }

    /**
     * @return {@code base} with the settings this config was built with by name taken over, and only those: what
     *         the failover model builders' {@code fitting(...)} does, so it combines with {@code fitStrategy(...)}
     *         in any order
     */
    FittingConfig mergedInto(FittingConfig base) {
        Builder builder = base.toBuilder();
        if (named.contains("strategy")) {
            builder.strategy(strategy);
        }
        if (named.contains("defaultReservedOutputTokens")) {
            builder.defaultReservedOutputTokens(defaultReservedOutputTokens);
        }
        if (named.contains("startWithUserMessage")) {
            builder.startWithUserMessage(startWithUserMessage);
        }
        return builder.build();
    }

    public FitStrategy strategy() {
        return strategy;
    }

    public int defaultReservedOutputTokens() {
        return defaultReservedOutputTokens;
    }

    public boolean startWithUserMessage() {
        return startWithUserMessage;
    }

    /** @return the output tokens to reserve on a target when neither the request nor the target says */
    public int reservedOutputTokens(int contextWindowTokens) {
        return Math.min(defaultReservedOutputTokens, contextWindowTokens / 4);
    }

    @Override
    public String toString() {
        return "FittingConfig{strategy=" + strategy + ", defaultReservedOutputTokens=" + defaultReservedOutputTokens
                + ", startWithUserMessage=" + startWithUserMessage + "}";
    }

    /** Builds a {@link FittingConfig}. Not thread-safe. */
    public static final class Builder {
        private FitStrategy strategy = DEFAULT_FIT_STRATEGY;
        private int defaultReservedOutputTokens = DEFAULT_RESERVED_OUTPUT_TOKENS;
        private boolean startWithUserMessage = DEFAULT_START_WITH_USER_MESSAGE;
        private final Set<String> named = new HashSet<>();

        private Builder() {}

        /** See {@link #DEFAULT_FIT_STRATEGY}. */
        public Builder strategy(FitStrategy strategy) {
            this.strategy = strategy;
            named.add("strategy");
            return this;
        }

        /** See {@link #DEFAULT_RESERVED_OUTPUT_TOKENS}. */
        public Builder defaultReservedOutputTokens(int tokens) {
            this.defaultReservedOutputTokens = tokens;
            named.add("defaultReservedOutputTokens");
            return this;
        }

        /** See {@link #DEFAULT_START_WITH_USER_MESSAGE}. */
        public Builder startWithUserMessage(boolean value) {
            this.startWithUserMessage = value;
            named.add("startWithUserMessage");
            return this;
        }

        /** @throws IllegalArgumentException naming the bad value */
        public FittingConfig build() {
            return new FittingConfig(this);
        }
    }
}
