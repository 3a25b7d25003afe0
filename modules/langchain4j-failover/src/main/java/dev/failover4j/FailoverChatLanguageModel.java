package dev.failover4j;

import static dev.failover4j.internal.Validation.requireNoNullElements;

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
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>Thread-safe; share one instance. Attempts run on the calling thread; the attempt timeout and
 * deadline interrupt it, which stops an {@link FailoverTarget#openAiCompatible openAiCompatible}
 * target's HTTP exchange (a custom {@code ChatModel} that ignores interrupts cannot be cut short).
 */
public final class FailoverChatLanguageModel implements ChatModel {

    private final FailoverCore core;
    private final FailoverConfig config;
    private final FittingConfig fitting;
    private final List<ChatModelListener> chatModelListeners;
    private final Set<Capability> capabilities;

    private FailoverChatLanguageModel(Builder builder) {
        this.config = builder.configBuilder.build();
        this.fitting = builder.fitting;
        this.chatModelListeners = List.copyOf(builder.chatModelListeners);
        this.core = new FailoverCore(builder.targets, config, fitting, builder.clock, builder.listeners, FailoverTarget::secrets);
        this.capabilities = core.commonCapabilities(t -> t.chatModel().supportedCapabilities());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChatResponse doChat(ChatRequest chatRequest) {
        return core.executor().execute(chatRequest);
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

    /** @return the targets in priority order */
    public List<FailoverTarget> targets() {
        return core.targets();
    }

    public FailoverConfig config() {
        return config;
    }

    public FittingConfig fitting() {
        return fitting;
    }

    /** @return each target's health now, in priority order */
    public List<TargetHealthSnapshot> health() {
        return core.health();
    }

    /**
     * Clears a target's breaker and cool-downs, e.g. after an operator fixed its API key.
     *
     * @throws IllegalArgumentException when no target has that name
     */
    public void resetHealth(String targetName) {
        core.runtime(targetName).state().reset();
    }

    /**
     * Sends a one-token request ({@code "ping"}, {@code maxOutputTokens(1)}) to one target, bypassing
     * its breaker and cool-downs. A success clears its breaker and cool-downs (e.g. after a fixed
     * API key); a failure is recorded like any failed attempt. Off the request path: call it from
     * an operator action or a scheduled health check, not per request.
     *
     * @return whether the target answered
     * @throws IllegalArgumentException when no target has that name
     */
    public boolean probe(String targetName) {
        return core.probe(targetName);
    }

    /** The planning core, for a streaming model that shares this model's targets and health. */
    FailoverCore core() {
        return core;
    }

    @Override
    public String toString() {
        return "FailoverChatLanguageModel{targets=" + core.targets() + ", config=" + config + "}";
    }

    /** Builds a {@link FailoverChatLanguageModel}; checks everything at {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final List<FailoverTarget> targets = new ArrayList<>();
        private final FailoverConfig.Builder configBuilder = FailoverConfig.builder();
        private final List<FailoverListener> listeners = new ArrayList<>();
        private final List<ChatModelListener> chatModelListeners = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private FittingConfig fitting = FittingConfig.defaults();

        private Builder() {}

        /**
         * How histories are fitted to each target's window; default {@link FittingConfig#defaults()}. Only the settings
         * {@code fitting} was built with by name are taken, so it combines with {@link #fitStrategy} in any order.
         */
        public Builder fitting(FittingConfig fitting) {
            this.fitting = Objects.requireNonNull(fitting, "fitting").mergedInto(this.fitting);
            return this;
        }

        /** Shortcut for {@code fitting(FittingConfig.builder().strategy(strategy).build())}. */
        public Builder fitStrategy(FitStrategy strategy) {
            this.fitting = fitting.withStrategy(strategy);
            return this;
        }

        /** Required: the targets in priority order (replaces any given before). */
        public Builder targets(FailoverTarget... targets) {
            return targets(Arrays.asList(Objects.requireNonNull(targets, "targets")));
        }

        /** Required: the targets in priority order (copied; replaces any given before). */
        public Builder targets(List<FailoverTarget> targets) {
            this.targets.clear();
            this.targets.addAll(Objects.requireNonNull(targets, "targets"));
            return this;
        }

        /**
         * Resilience settings; only those {@code config} was built with by name are taken, so settings given here
         * and through {@link #attemptTimeout}, {@link #deadline} or {@link #maxRetries} combine in any order (the
         * later call wins for a setting both name).
         */
        public Builder config(FailoverConfig config) {
            configBuilder.merge(Objects.requireNonNull(config, "config"));
            return this;
        }

        /** One attempt on one target; default {@link FailoverConfig#DEFAULT_ATTEMPT_TIMEOUT}. */
        public Builder attemptTimeout(Duration timeout) {
            configBuilder.attemptTimeout(timeout);
            return this;
        }

        /** The whole call, every retry, wait and fallback; default {@link FailoverConfig#DEFAULT_DEADLINE}. */
        public Builder deadline(Duration deadline) {
            configBuilder.deadline(deadline);
            return this;
        }

        /** Same-target retries after a server error; default {@link FailoverConfig#DEFAULT_MAX_RETRIES}. */
        public Builder maxRetries(int maxRetries) {
            configBuilder.maxRetries(maxRetries);
            return this;
        }

        /** Adds a listener for {@link FailoverEvent}s. */
        public Builder listener(FailoverListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** LangChain4j listeners, fired once per call (request, then response or error). */
        public Builder listeners(List<ChatModelListener> listeners) {
            requireNoNullElements(listeners, "listeners");
            chatModelListeners.clear();
            chatModelListeners.addAll(listeners);
            return this;
        }

        /** The clock for cool-downs, Retry-After and the deadline; default UTC system clock. For tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad value */
        public FailoverChatLanguageModel build() {
            return new FailoverChatLanguageModel(this);
        }
    }
}
