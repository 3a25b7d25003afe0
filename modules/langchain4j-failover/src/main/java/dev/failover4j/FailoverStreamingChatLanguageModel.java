package dev.failover4j;

import static dev.failover4j.internal.Validation.requireNoNullElements;

import static dev.failover4j.internal.Validation.requirePositive;

import dev.failover4j.health.TargetHealthSnapshot;
import dev.failover4j.internal.FailoverCore;
import dev.failover4j.internal.StreamingFailover;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A drop-in {@link StreamingChatModel} with the same targets, policies, fitting and events as
 * {@link FailoverChatLanguageModel}, for chat UIs that stream. (LangChain4j's former
 * {@code StreamingChatLanguageModel}.)
 *
 * <ul>
 *   <li>Before the first token: exactly the sync model's failover; the handler sees nothing of
 *       failed attempts. A stream that produces no token within {@link #DEFAULT_FIRST_TOKEN_TIMEOUT}
 *       counts as a timeout of that target.</li>
 *   <li>After it: chunks are relayed in order from one thread. Silence longer than
 *       {@link #DEFAULT_IDLE_TIMEOUT}, an error, or an end without finish reason is a broken stream:
 *       by default ({@link PartialResponsePolicy#CONTINUE}) the next target continues the answer
 *       from the delivered text and only new text is emitted; with {@link PartialResponsePolicy#FAIL}
 *       the handler gets an {@link IncompleteResponseException} carrying the partial text.</li>
 *   <li>Tool calls are never forwarded partially; the complete response carries them. A stream that
 *       breaks before any text (e.g. during a tool call) is restarted on the next target.</li>
 *   <li>The handler gets exactly one of {@code onCompleteResponse} and {@code onError}. The final
 *       response has the whole text, the summed token usage of the attempts that reported it, and
 *       {@link FailoverChatResponseMetadata#servedBy()}.</li>
 *   <li>The overall deadline covers the whole stream; when it passes, the upstream stream is
 *       cancelled and the handler gets {@code onError}.</li>
 * </ul>
 *
 * <p>{@code chat(...)} returns at once; each call runs on a thread of the executor (default: virtual
 * threads on Java 21+, else a cached pool of daemon threads). Thread-safe; share one instance.
 * A stream abandoned before its first token is closed by the target's HTTP read timeout.
 */
public final class FailoverStreamingChatLanguageModel implements StreamingChatModel {

    public static final Duration DEFAULT_FIRST_TOKEN_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
    public static final PartialResponsePolicy DEFAULT_PARTIAL_RESPONSE_POLICY = PartialResponsePolicy.CONTINUE;
    /**
     * The user message that follows the partial answer when the next target is asked to continue a broken
     * stream ({@link PartialResponsePolicy#CONTINUE}); tests and stubs can recognise a continuation by it.
     */
    public static final String CONTINUE_INSTRUCTION = StreamingFailover.CONTINUE_INSTRUCTION;

    private final FailoverCore core;
    private final FailoverConfig config;
    private final List<ChatModelListener> chatModelListeners;
    private final Set<Capability> capabilities;
    private final StreamingFailover streaming;
    private final ExecutorService executor;

    private FailoverStreamingChatLanguageModel(Builder builder) {
        FailoverChatLanguageModel shared = builder.sharedWith;
        this.config = shared != null ? shared.config() : builder.configBuilder.build();
        requirePositive(builder.firstTokenTimeout, "firstTokenTimeout");
        requirePositive(builder.idleTimeout, "idleTimeout");
        Objects.requireNonNull(builder.policy, "partialResponsePolicy");
        List<FailoverTarget> targets = shared != null ? shared.targets() : builder.targets;
        for (FailoverTarget target : targets) {
            if (target != null && target.streamingChatModel().isEmpty()) {
                throw new IllegalArgumentException("target '" + target.name() + "' has no streamingChatModel; "
                        + "build it with FailoverTarget.openAiCompatible(...) or set streamingChatModel(...)");
            }
        }
        this.chatModelListeners = List.copyOf(builder.chatModelListeners);
        this.core = shared != null ? shared.core()
                : new FailoverCore(targets, config, builder.fitting, builder.clock, builder.listeners, FailoverTarget::secrets);
        this.capabilities = core.commonCapabilities(t -> t.streamingChatModel().orElseThrow().supportedCapabilities());
        this.streaming = new StreamingFailover(core.executor(), builder.firstTokenTimeout, builder.idleTimeout,
                builder.policy, core.redactor(), core.clock());
        this.executor = builder.executor != null ? builder.executor : defaultExecutor();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Checks the handler before LangChain4j wraps it (a null one would only fail later, on another thread). */
    @Override
    public void chat(ChatRequest chatRequest, ChatRequestOptions options, StreamingChatResponseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        StreamingChatModel.super.chat(chatRequest, options, handler);
    }

    @Override
    public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        requireNoNullElements(chatRequest.messages(), "messages");
        executor.execute(() -> streaming.run(chatRequest, handler));
    }

    @Override
    public List<ChatModelListener> listeners() {
        return chatModelListeners;
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return capabilities;
    }

    public List<FailoverTarget> targets() {
        return core.targets();
    }

    public List<TargetHealthSnapshot> health() {
        return core.health();
    }

    @Override
    public String toString() {
        return "FailoverStreamingChatLanguageModel{targets=" + core.targets() + ", config=" + config + "}";
    }

    /** Virtual threads when the JDK has them (21+), else daemon platform threads; the library needs only 17. */
    private static ExecutorService defaultExecutor() {
        try {
            Method virtual = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) virtual.invoke(null);
        } catch (ReflectiveOperationException notOnThisJdk) {
            AtomicInteger count = new AtomicInteger();
            ThreadFactory daemons = task -> {
                Thread thread = new Thread(task, "failover-stream-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
            return Executors.newCachedThreadPool(daemons);
        }
    }

    /** Builds a {@link FailoverStreamingChatLanguageModel}; checks everything at {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final List<FailoverTarget> targets = new ArrayList<>();
        private final FailoverConfig.Builder configBuilder = FailoverConfig.builder();
        private final List<FailoverListener> listeners = new ArrayList<>();
        private final List<ChatModelListener> chatModelListeners = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private FittingConfig fitting = FittingConfig.defaults();
        private Duration firstTokenTimeout = DEFAULT_FIRST_TOKEN_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private PartialResponsePolicy policy = DEFAULT_PARTIAL_RESPONSE_POLICY;
        private ExecutorService executor;
        private FailoverChatLanguageModel sharedWith;

        private Builder() {}

        /**
         * Shares the sync model's targets, breakers, cool-downs, config, fitting and failover
         * listeners, so a provider found dead by one model is skipped by the other. Targets, config,
         * fitting and listeners set on this builder are then ignored; the streaming timeouts, policy,
         * executor and ChatModelListeners still apply.
         */
        public Builder sharingHealthWith(FailoverChatLanguageModel model) {
            this.sharedWith = Objects.requireNonNull(model, "model");
            return this;
        }

        /** Required: the targets in priority order; each needs a streaming model. */
        public Builder targets(FailoverTarget... targets) {
            return targets(Arrays.asList(Objects.requireNonNull(targets, "targets")));
        }

        public Builder targets(List<FailoverTarget> targets) {
            this.targets.clear();
            this.targets.addAll(Objects.requireNonNull(targets, "targets"));
            return this;
        }

        /**
         * Retries, breaker, deadline... as for the sync model; its attempt timeout is not used (see
         * {@link #firstTokenTimeout}). Only the settings {@code config} was built with by name are taken, so they
         * combine with {@link #deadline} and {@link #maxRetries} in any order.
         */
        public Builder config(FailoverConfig config) {
            configBuilder.merge(Objects.requireNonNull(config, "config"));
            return this;
        }

        /** The whole call including the whole stream; default {@link FailoverConfig#DEFAULT_DEADLINE}. */
        public Builder deadline(Duration deadline) {
            configBuilder.deadline(deadline);
            return this;
        }

        public Builder maxRetries(int maxRetries) {
            configBuilder.maxRetries(maxRetries);
            return this;
        }

        /** Longest wait for a target's first token; default {@link #DEFAULT_FIRST_TOKEN_TIMEOUT}. */
        public Builder firstTokenTimeout(Duration timeout) {
            this.firstTokenTimeout = timeout;
            return this;
        }

        /** Longest silence between chunks; default {@link #DEFAULT_IDLE_TIMEOUT}. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** What to do when a stream breaks after text was delivered; default {@link PartialResponsePolicy#CONTINUE}. */
        public Builder partialResponsePolicy(PartialResponsePolicy policy) {
            this.policy = policy;
            return this;
        }

        /**
         * How histories are fitted to each target's window; default {@link FittingConfig#defaults()}. Only the settings
         * {@code fitting} was built with by name are taken, so it combines with {@link #fitStrategy} in any order.
         */
        public Builder fitting(FittingConfig fitting) {
            this.fitting = Objects.requireNonNull(fitting, "fitting").mergedInto(this.fitting);
            return this;
        }

        /** Shortcut for {@code fitting(FittingConfig.builder().strategy(strategy).build())}, keeping other fitting settings. */
        public Builder fitStrategy(FitStrategy strategy) {
            this.fitting = fitting.withStrategy(strategy);
            return this;
        }

        public Builder listener(FailoverListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** LangChain4j listeners, fired once per call. */
        public Builder listeners(List<ChatModelListener> listeners) {
            requireNoNullElements(listeners, "listeners");
            chatModelListeners.clear();
            chatModelListeners.addAll(listeners);
            return this;
        }

        /** Where each call's orchestration runs; default: virtual threads on Java 21+, else daemon threads. */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad value */
        public FailoverStreamingChatLanguageModel build() {
            return new FailoverStreamingChatLanguageModel(this);
        }
    }
}
