package dev.failover4j;

import java.time.Duration;
import static dev.failover4j.internal.Validation.requireName;
import static dev.failover4j.internal.Validation.requirePositive;
import static dev.failover4j.internal.Validation.selfRetries;

import dev.failover4j.fit.Tokenizer;
import com.knuddels.jtokkit.api.EncodingType;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model a failover model may send a request to, with what failover needs to know about it:
 * a unique name, the {@link ChatModel}, its context window, and optionally its output limit,
 * price and streaming counterpart.
 *
 * <p>Make one with {@link #openAiCompatible(String)} (builds the {@code OpenAiChatModel} itself, with
 * retries left to the failover policies and {@code Retry-After} kept) or {@link #builder()} for any
 * {@code ChatModel}. Immutable and thread-safe. {@link #toString()} never shows secrets.
 */
public final class FailoverTarget {

    /**
     * Safety margin, as a share of the window, for a target whose tokenizer only approximates the
     * model's (any model {@link Tokenizer#forModelName} does not know, or a {@code TokenCountEstimator}).
     */
    public static final double DEFAULT_APPROXIMATION_MARGIN_RATIO = 0.10;

    /** How often budgets refill by default: the minute's whole quota at once. */
    public static final Duration DEFAULT_BUDGET_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(FailoverTarget.class);

    private final String name;
    private final ChatModel chatModel;
    private final StreamingChatModel streamingChatModel;
    private final String modelName;
    private final int contextWindowTokens;
    private final Integer maxOutputTokens;
    private final TokenPrice price;
    private final String endpoint;
    private final List<String> secrets;
    private final Tokenizer tokenizer;
    private final int safetyMarginTokens;
    private final double tokenRatio;
    private final Integer priority;
    private final int weight;
    private final Integer requestsPerMinute;
    private final Integer tokensPerMinute;
    private final Duration budgetInterval;
    private final HealthCheck healthCheck;

    FailoverTarget(
            String name,
            ChatModel chatModel,
            StreamingChatModel streamingChatModel,
            String modelName,
            Integer contextWindowTokens,
            Integer maxOutputTokens,
            TokenPrice price,
            String endpoint,
            List<String> secrets,
            Tokenizer tokenizer,
            Integer safetyMarginTokens,
            Double tokenRatio,
            Integer priority,
            Integer weight,
            Integer requestsPerMinute,
            Integer tokensPerMinute,
            Duration budgetInterval,
            HealthCheck healthCheck) {
        this.healthCheck = healthCheck;
        this.name = requireName(name);
        this.requestsPerMinute = requestsPerMinute == null ? null
                : requirePositive(requestsPerMinute, "requestsPerMinute of target '" + name + "'");
        this.tokensPerMinute = tokensPerMinute == null ? null
                : requirePositive(tokensPerMinute, "tokensPerMinute of target '" + name + "'");
        if (priority != null && priority < 0) {
            throw new IllegalArgumentException("priority of target '" + name + "' must not be negative but was " + priority);
        }
        this.priority = priority;
        this.weight = weight == null ? 1 : requirePositive(weight, "weight of target '" + name + "'");
        this.chatModel = Objects.requireNonNull(chatModel, () -> "chatModel of target '" + name + "' is required");
        this.streamingChatModel = streamingChatModel;
        this.modelName = modelName;
        if (contextWindowTokens == null) {
            throw new IllegalArgumentException("contextWindowTokens of target '" + name + "' is required");
        }
        this.contextWindowTokens = requirePositive(contextWindowTokens, "contextWindowTokens of target '" + name + "'");
        if (maxOutputTokens != null) {
            requirePositive(maxOutputTokens, "maxOutputTokens of target '" + name + "'");
            if (maxOutputTokens >= contextWindowTokens) {
                throw new IllegalArgumentException("maxOutputTokens of target '" + name + "' must be smaller than its "
                        + "contextWindowTokens (" + contextWindowTokens + ") but was " + maxOutputTokens);
            }
        }
        this.maxOutputTokens = maxOutputTokens;
        this.price = price;
        this.endpoint = endpoint;
        this.secrets = List.copyOf(secrets);
        this.tokenizer = tokenizer != null ? tokenizer : Tokenizer.forModelName(modelName);
        int margin = safetyMarginTokens != null ? safetyMarginTokens
                : this.tokenizer.exact() ? 0 : (int) Math.ceil(contextWindowTokens * DEFAULT_APPROXIMATION_MARGIN_RATIO);
        if (margin < 0 || margin >= contextWindowTokens) {
            throw new IllegalArgumentException("safetyMarginTokens of target '" + name + "' must be in [0, "
                    + contextWindowTokens + ") but was " + margin);
        }
        if (maxOutputTokens != null && (long) maxOutputTokens + margin >= contextWindowTokens) {
            // Every call without its own maxOutputTokens would be refused before it is sent: say so now.
            throw new IllegalArgumentException("maxOutputTokens (" + maxOutputTokens + ") + safetyMarginTokens (" + margin
                    + (safetyMarginTokens == null ? ", the default for an approximate tokenizer" : "") + ") of target '"
                    + name + "' leave no room in contextWindowTokens (" + contextWindowTokens + ")");
        }
        this.safetyMarginTokens = margin;
        this.tokenRatio = tokenRatio == null ? 1.0 : requireTokenRatio(tokenRatio, name);
        this.budgetInterval = requireBudgetInterval(budgetInterval, name, requestsPerMinute, tokensPerMinute);
        if (tokensPerMinute != null && maxOutputTokens != null && tokensPerMinute <= maxOutputTokens) {
            throw new IllegalArgumentException("tokensPerMinute of target '" + name + "' (" + tokensPerMinute
                    + ") must exceed one request's reserved output, its maxOutputTokens (" + maxOutputTokens + ")");
        }
    }

    private static Duration requireBudgetInterval(Duration interval, String name, Integer rpm, Integer tpm) {
        if (interval == null) {
            return DEFAULT_BUDGET_INTERVAL;
        }
        if (interval.isNegative() || interval.isZero() || interval.compareTo(DEFAULT_BUDGET_INTERVAL) > 0) {
            throw new IllegalArgumentException("budgetInterval of target '" + name + "' must be in (0, 1 minute] but was " + interval);
        }
        for (Integer perMinute : java.util.Arrays.asList(rpm, tpm)) {
            if (perMinute != null && permitsPerInterval(perMinute, interval) < 1) {
                throw new IllegalArgumentException("budgetInterval of target '" + name + "' (" + interval + ") leaves less "
                        + "than one permit of its budget of " + perMinute + " a minute per interval; choose a longer one");
            }
        }
        return interval;
    }

    /** @return the share of a per-minute budget that refills every interval (rounded down) */
    private static int permitsPerInterval(int perMinute, Duration interval) {
        return (int) (perMinute * (double) interval.toNanos() / DEFAULT_BUDGET_INTERVAL.toNanos());
    }

    /** The bounds of a token ratio: beyond them a count is no longer an approximation of the same text. */
    static final double MIN_TOKEN_RATIO = 0.5;
    static final double MAX_TOKEN_RATIO = 4.0;

    private static double requireTokenRatio(double ratio, String name) {
        if (!(ratio >= MIN_TOKEN_RATIO && ratio <= MAX_TOKEN_RATIO)) {
            throw new IllegalArgumentException("tokenRatio of target '" + name + "' must be in [" + MIN_TOKEN_RATIO + ", "
                    + MAX_TOKEN_RATIO + "] but was " + ratio);
        }
        return ratio;
    }

    /** Resolves the tokenizer options of both builders: an explicit tokenizer wins over an encoding or estimator. */
    static Tokenizer tokenizerOf(Tokenizer tokenizer, EncodingType encoding, TokenCountEstimator estimator) {
        if (tokenizer != null) {
            return tokenizer;
        }
        if (encoding != null) {
            return Tokenizer.of(encoding);
        }
        return estimator != null ? Tokenizer.of(estimator) : null;
    }

    /** @return a builder for a target around any {@link ChatModel} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param name the target's unique name, used in events, logs, metrics and exceptions
     * @return a builder that creates an {@code OpenAiChatModel} for an OpenAI-compatible endpoint
     */
    public static OpenAiCompatibleTargetBuilder openAiCompatible(String name) {
        return new OpenAiCompatibleTargetBuilder(name);
    }

    public String name() {
        return name;
    }

    public ChatModel chatModel() {
        return chatModel;
    }

    /** @return the streaming model, when this target has one */
    public Optional<StreamingChatModel> streamingChatModel() {
        return Optional.ofNullable(streamingChatModel);
    }

    /** @return the model name sent to this target (replaces the request's), when known */
    public Optional<String> modelName() {
        return Optional.ofNullable(modelName);
    }

    public int contextWindowTokens() {
        return contextWindowTokens;
    }

    /** @return the output tokens to reserve when the request sets none, when configured */
    public Optional<Integer> maxOutputTokens() {
        return Optional.ofNullable(maxOutputTokens);
    }

    public Optional<TokenPrice> price() {
        return Optional.ofNullable(price);
    }

    /** @return how this target's tokens are counted for fitting */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** @return tokens kept free beyond reserved output, for tokenizer approximation */
    public int safetyMarginTokens() {
        return safetyMarginTokens;
    }

    /**
     * @return the starting guess of how many of the model's tokens one of ours makes (default 1.0); the group
     *         learns the real ratio from the provider's reported usage and from context-length errors that state
     *         their counts, and shows it in {@code health()}
     */
    public double tokenRatio() {
        return tokenRatio;
    }

    /**
     * @return the target's tier: targets of equal priority share traffic (ordered by the group's
     *         {@link RoutingStrategy}), tiers are tried in ascending order; empty when not set (then the list
     *         order is one target per tier)
     */
    public Optional<Integer> priority() {
        return Optional.ofNullable(priority);
    }

    /** @return its share of traffic within its tier for {@link RoutingStrategy#weighted()}; default 1 */
    public int weight() {
        return weight;
    }

    /** @return the most requests a minute this group sends it (a provider's rpm quota), when set */
    public Optional<Integer> requestsPerMinute() {
        return Optional.ofNullable(requestsPerMinute);
    }

    /** @return the most tokens a minute (prompt as fitted, plus the reported output) this group sends it, when set */
    public Optional<Integer> tokensPerMinute() {
        return Optional.ofNullable(tokensPerMinute);
    }

    /**
     * @return how often its budgets refill, each time by that interval's share of the per-minute quota; default
     *         {@link #DEFAULT_BUDGET_INTERVAL} (the minute's whole quota at once)
     */
    public Duration budgetInterval() {
        return budgetInterval;
    }

    /** @return how probes check this target, when not with a one-token chat (see {@link HealthCheck}) */
    public java.util.Optional<HealthCheck> healthCheck() {
        return java.util.Optional.ofNullable(healthCheck);
    }

    /** Secrets to mask wherever text about this target may appear. Package-private on purpose. */
    List<String> secrets() {
        return secrets;
    }

    @Override
    public String toString() {
        return "FailoverTarget{name=" + name
                + (modelName == null ? "" : ", model=" + modelName)
                + (endpoint == null ? "" : ", endpoint=" + endpoint)
                + ", contextWindowTokens=" + contextWindowTokens
                + (maxOutputTokens == null ? "" : ", maxOutputTokens=" + maxOutputTokens)
                + ", tokenizer=" + tokenizer + (safetyMarginTokens == 0 ? "" : ", safetyMarginTokens=" + safetyMarginTokens)
                + "}";
    }

    /** Builds a {@link FailoverTarget} around any {@link ChatModel}. Not thread-safe. */
    public static final class Builder {
        private String name;
        private ChatModel chatModel;
        private StreamingChatModel streamingChatModel;
        private String modelName;
        private Integer contextWindowTokens;
        private Integer maxOutputTokens;
        private TokenPrice price;
        private Tokenizer tokenizer;
        private EncodingType encoding;
        private TokenCountEstimator estimator;
        private Integer safetyMarginTokens;
        private Double tokenRatio;
        private Integer priority;
        private Integer weight;
        private Integer requestsPerMinute;
        private Integer tokensPerMinute;
        private Duration budgetInterval;
        private HealthCheck healthCheck;

        private Builder() {}

        /** How {@link Probes} check the target; default a one-token chat. */
        public Builder healthCheck(HealthCheck check) { this.healthCheck = check; return this; }

        /**
         * How often the budgets refill, each time by the interval's share of the per-minute quota, in (0, 1 minute];
         * default one minute (the whole quota at once, so a minute's burst is allowed). A shorter interval spreads
         * the quota: 600 rpm every second is 10 requests a second, for providers that enforce per-second limits.
         */
        public Builder budgetInterval(Duration interval) { this.budgetInterval = interval; return this; }

        /** A budget of requests per minute: beyond it the target is skipped (BUDGET_EXHAUSTED) without a network call. */
        public Builder requestsPerMinute(int requests) { this.requestsPerMinute = requests; return this; }

        /** A budget of tokens per minute (the prompt as fitted, plus the output the provider reports). */
        public Builder tokensPerMinute(int tokens) { this.tokensPerMinute = tokens; return this; }

        /** The target's tier (0 = first); equal priorities share traffic. Set on every target of a group or none. */
        public Builder priority(int priority) { this.priority = priority; return this; }

        /** Its share of traffic within its tier for {@link RoutingStrategy#weighted()}, at least 1; default 1. */
        public Builder weight(int weight) { this.weight = weight; return this; }

        /** How to count this model's tokens; default: {@link Tokenizer#forModelName} of the model name. */
        public Builder tokenizer(Tokenizer tokenizer) { this.tokenizer = tokenizer; return this; }

        /** Counts with this jtokkit encoding (exact for OpenAI models that use it). */
        public Builder tokenizer(EncodingType encoding) { this.encoding = encoding; return this; }

        /** Counts with any LangChain4j estimator (treated as an approximation). */
        public Builder tokenCountEstimator(TokenCountEstimator estimator) { this.estimator = estimator; return this; }

        /**
         * The starting ratio of the model's token counts to ours (e.g. 1.6 for a Llama-style tokenizer on
         * Vietnamese counted with o200k), in [0.5, 4]; default 1.0. The group learns the real one as it goes.
         */
        public Builder tokenRatio(double ratio) { this.tokenRatio = ratio; return this; }

        /** Tokens to keep free for tokenizer error; default 0 when exact, else {@link #DEFAULT_APPROXIMATION_MARGIN_RATIO} of the window. */
        public Builder safetyMarginTokens(int tokens) { this.safetyMarginTokens = tokens; return this; }

        /** Required: unique among a failover model's targets. */
        public Builder name(String name) { this.name = name; return this; }

        /**
         * Required. The model should not retry by itself: the failover policies retry and fail over, and a model's
         * own retries multiply theirs. A plain {@code OpenAiChatModel.builder()...build()} retries twice by default,
         * so a primary answering 500 gets 3 × 3 = 9 requests per call; build it with {@code maxRetries(0)}, or use
         * {@link FailoverTarget#openAiCompatible(String)} with {@code customizeChatModel(...)} to keep its other
         * settings (that path also keeps {@code Retry-After}). {@link #build()} logs a warning naming the target
         * when it can tell that the model retries by itself.
         */
        public Builder chatModel(ChatModel chatModel) { this.chatModel = chatModel; return this; }

        public Builder streamingChatModel(StreamingChatModel streamingChatModel) {
            this.streamingChatModel = streamingChatModel;
            return this;
        }

        /** The model name to send; default: the chat model's own default model name, if any. */
        public Builder modelName(String modelName) { this.modelName = modelName; return this; }

        /** Required: the model's context window in tokens (input + output). */
        public Builder contextWindowTokens(int tokens) { this.contextWindowTokens = tokens; return this; }

        /** Output tokens to reserve when a request sets no {@code maxOutputTokens}. */
        public Builder maxOutputTokens(int tokens) { this.maxOutputTokens = tokens; return this; }

        public Builder price(TokenPrice price) { this.price = price; return this; }

        /**
         * Logs one WARN, naming the target, when its chat or streaming model is a LangChain4j HTTP model known to
         * retry by itself (see {@link #chatModel}).
         *
         * @throws IllegalArgumentException naming the bad or missing value, including a {@code maxOutputTokens} and
         *         {@code safetyMarginTokens} that leave no room in {@code contextWindowTokens}
         */
        public FailoverTarget build() {
            String model = modelName;
            if (model == null && chatModel != null && chatModel.defaultRequestParameters() != null) {
                model = chatModel.defaultRequestParameters().modelName();
            }
            FailoverTarget target = new FailoverTarget(name, chatModel, streamingChatModel, model, contextWindowTokens,
                    maxOutputTokens, price, null, List.of(), tokenizerOf(tokenizer, encoding, estimator), safetyMarginTokens, tokenRatio, priority, weight,
                    requestsPerMinute, tokensPerMinute, budgetInterval, healthCheck);
            warnIfRetriesMultiply(target.name, "chatModel", chatModel);
            warnIfRetriesMultiply(target.name, "streamingChatModel", streamingChatModel);
            return target;
        }

        private static void warnIfRetriesMultiply(String target, String setter, Object model) {
            OptionalInt retries = selfRetries(model);
            if (retries.isPresent() && retries.getAsInt() > 0) {
                int perCall = (retries.getAsInt() + 1) * (FailoverConfig.DEFAULT_MAX_RETRIES + 1);
                LOG.warn("Target '{}': its {} ({}) retries by itself (maxRetries {}) on top of the failover retries, so "
                                + "one failing call can send it up to {} requests with the default FailoverConfig; build it "
                                + "with maxRetries(0), or use FailoverTarget.openAiCompatible(\"{}\").customizeChatModel(...) "
                                + "to keep its other settings", target, setter, model.getClass().getSimpleName(),
                        retries.getAsInt(), perCall, target);
            }
        }
    }
}
