package dev.failover4j;

import dev.failover4j.health.TargetHealthSnapshot;
import dev.failover4j.internal.FailoverCore;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A drop-in {@link ChatModel} that sends each request to an ordered list of {@link FailoverTarget}s:
 * the first healthy one serves it; failures are retried, skipped or failed over by kind
 * ({@link FailureKind}), each target has a circuit breaker, and one deadline bounds the whole call.
 * (LangChain4j renamed {@code ChatLanguageModel} to {@code ChatModel} in 1.0; this class keeps the
 * familiar name.)
 *
 * <pre>{@code
 * ChatModel model = FailoverChatLanguageModel.builder()
 *         .targets(primary, backup)                // order = priority
 *         .attemptTimeout(Duration.ofSeconds(30))
 *         .deadline(Duration.ofSeconds(60))
 *         .listener(event -> log.info("{}", event))
 *         .build();
 * }</pre>
 *
 * <p>The response's metadata is a {@link FailoverChatResponseMetadata} naming the serving target.
 * When every target fails or is skipped, the call throws {@link FailoverException}; a request the
 * provider rejects as invalid (a 400 other than context length or content filter) is rethrown as
 * is, without trying other targets. {@link #defaultRequestParameters()} is empty: each target
 * receives its own model name and the caller's other parameters unchanged.
 * {@link #supportedCapabilities()} is the intersection of the targets'. {@code ChatModelListener}s
 * given to {@link Builder#listeners(List)} fire once per call, not once per attempt.
 *
 * <p>A view of a {@link FailoverGroup} ({@link FailoverGroup#chatModel()}); the builder is a shortcut that
 * makes a group of its own ({@link #group()} reaches it, e.g. to {@code close()} it).
 *
 * <p>Thread-safe; share one instance. Attempts run on the calling thread; the attempt timeout and
 * deadline interrupt it, which stops an {@link FailoverTarget#openAiCompatible openAiCompatible}
 * target's HTTP exchange (a custom {@code ChatModel} that ignores interrupts cannot be cut short).
 */
public final class FailoverChatLanguageModel implements ChatModel {

    private final FailoverGroup group;
    private final FailoverCore core;
    private final List<ChatModelListener> chatModelListeners;
    private final Set<Capability> capabilities;

    /** The view of a group; made by {@link FailoverGroup#chatModel()}. */
    FailoverChatLanguageModel(FailoverGroup group, List<ChatModelListener> chatModelListeners) {
        this.group = group;
        this.core = group.core();
        this.chatModelListeners = chatModelListeners;
        this.capabilities = core.commonCapabilities(t -> t.chatModel().supportedCapabilities());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @throws IllegalStateException after the group was closed */
    @Override
    public ChatResponse doChat(ChatRequest chatRequest) {
        group.ensureOpen();
        return core.chat(chatRequest);
    }

    /**
     * Without {@link ChatModelListener}s, goes straight to {@link #doChat}: LangChain4j's default would
     * copy the request to merge it with {@link #defaultRequestParameters()}, which are empty here, and
     * set up listener attributes nobody reads — half of the allocation of a healthy call
     * (docs/BENCHMARKS.md). With listeners, LangChain4j's default runs as is.
     */
    @Override
    public ChatResponse chat(ChatRequest chatRequest, ChatRequestOptions options) {
        if (chatModelListeners.isEmpty()) {
            return doChat(Objects.requireNonNull(chatRequest, "chatRequest"));
        }
        return ChatModel.super.chat(chatRequest, options);
    }

    @Override
    public List<ChatModelListener> listeners() {
        return chatModelListeners;
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return capabilities;
    }

    /** @return the group this model is a view of: its state, operator actions and lifecycle */
    public FailoverGroup group() {
        return group;
    }

    /** @return the targets in priority order */
    public List<FailoverTarget> targets() {
        return group.targets();
    }

    public FailoverConfig config() {
        return group.config();
    }

    public FittingConfig fitting() {
        return group.fitting();
    }

    /** @return each target's health now, in priority order (see {@link FailoverGroup#health()}) */
    public List<TargetHealthSnapshot> health() {
        return group.health();
    }

    /** See {@link FailoverGroup#resetHealth(String)}. */
    public void resetHealth(String targetName) {
        group.resetHealth(targetName);
    }

    /** See {@link FailoverGroup#probe(String)}. */
    public boolean probe(String targetName) {
        return group.probe(targetName);
    }

    @Override
    public String toString() {
        return "FailoverChatLanguageModel{targets=" + group.targets() + ", config=" + group.config() + "}";
    }

    /**
     * Builds a {@link FailoverChatLanguageModel} on a group of its own (a shortcut for
     * {@code FailoverGroup.builder()...build().chatModel()}); checks everything at {@link #build()}. Not thread-safe.
     */
    public static final class Builder {
        private final FailoverGroup.Builder group = FailoverGroup.builder();

        private Builder() {}

        /**
         * How histories are fitted to each target's window; default {@link FittingConfig#defaults()}. Only the settings
         * {@code fitting} was built with by name are taken, so it combines with {@link #fitStrategy} in any order.
         */
        public Builder fitting(FittingConfig fitting) {
            group.fitting(fitting);
            return this;
        }

        /** Shortcut for {@code fitting(FittingConfig.builder().strategy(strategy).build())}. */
        public Builder fitStrategy(FitStrategy strategy) {
            group.fitStrategy(strategy);
            return this;
        }

        /** Required: the targets in priority order (replaces any given before). */
        public Builder targets(FailoverTarget... targets) {
            group.targets(targets);
            return this;
        }

        /** Required: the targets in priority order (copied; replaces any given before). */
        public Builder targets(List<FailoverTarget> targets) {
            group.targets(targets);
            return this;
        }

        /**
         * Resilience settings; only those {@code config} was built with by name are taken, so settings given here
         * and through {@link #attemptTimeout}, {@link #deadline} or {@link #maxRetries} combine in any order (the
         * later call wins for a setting both name).
         */
        public Builder config(FailoverConfig config) {
            group.config(config);
            return this;
        }

        /** One attempt on one target; default {@link FailoverConfig#DEFAULT_ATTEMPT_TIMEOUT}. */
        public Builder attemptTimeout(Duration timeout) {
            group.attemptTimeout(timeout);
            return this;
        }

        /** The whole call, every retry, wait and fallback; default {@link FailoverConfig#DEFAULT_DEADLINE}. */
        public Builder deadline(Duration deadline) {
            group.deadline(deadline);
            return this;
        }

        /** Same-target retries after a server error; default {@link FailoverConfig#DEFAULT_MAX_RETRIES}. */
        public Builder maxRetries(int maxRetries) {
            group.maxRetries(maxRetries);
            return this;
        }

        /** Adds a listener for {@link FailoverEvent}s. */
        public Builder listener(FailoverListener listener) {
            group.listener(listener);
            return this;
        }

        /** LangChain4j listeners, fired once per call (request, then response or error). */
        public Builder listeners(List<ChatModelListener> listeners) {
            group.listeners(listeners);
            return this;
        }

        /** The clock for cool-downs, Retry-After and the deadline; default UTC system clock. For tests. */
        public Builder clock(Clock clock) {
            group.clock(clock);
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad value */
        public FailoverChatLanguageModel build() {
            return group.build().chatModel();
        }
    }
}
