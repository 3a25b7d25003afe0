package dev.failover4j;

import static dev.failover4j.internal.Validation.requireNoNullElements;

import dev.failover4j.health.TargetHealthSnapshot;
import dev.failover4j.internal.FailoverCore;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;

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
 * <p>{@code chat(...)} returns at once; each call runs on a thread of the executor (default: the
 * group's, virtual threads on Java 21+, else a cached pool of daemon threads). Thread-safe; share one
 * instance. A stream abandoned before its first token is closed by the target's HTTP read timeout.
 *
 * <p>A view of a {@link FailoverGroup} ({@link FailoverGroup#streamingChatModel(StreamingOptions)}); the
 * builder is a shortcut that makes a group of its own, or uses a sync model's with {@code sharingHealthWith}.
 */
public final class FailoverStreamingChatLanguageModel implements StreamingChatModel {

    /** See {@link StreamingOptions#DEFAULT_FIRST_TOKEN_TIMEOUT}. */
    public static final Duration DEFAULT_FIRST_TOKEN_TIMEOUT = StreamingOptions.DEFAULT_FIRST_TOKEN_TIMEOUT;
    /** See {@link StreamingOptions#DEFAULT_IDLE_TIMEOUT}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = StreamingOptions.DEFAULT_IDLE_TIMEOUT;
    /** See {@link StreamingOptions#DEFAULT_PARTIAL_RESPONSE_POLICY}. */
    public static final PartialResponsePolicy DEFAULT_PARTIAL_RESPONSE_POLICY = StreamingOptions.DEFAULT_PARTIAL_RESPONSE_POLICY;
    /**
     * The user message that follows the partial answer when the next target is asked to continue a broken
     * stream ({@link PartialResponsePolicy#CONTINUE}); tests and stubs can recognise a continuation by it.
     */
    public static final String CONTINUE_INSTRUCTION = "Your previous reply was cut off after the text above. "
            + "Continue it exactly where it stopped, without repeating any of it and without any preamble.";

    private final FailoverGroup group;
    private final StreamingOptions options;
    private final List<ChatModelListener> chatModelListeners;
    private final Set<Capability> capabilities;
    private final BiConsumer<ChatRequest, StreamingChatResponseHandler> streaming;
    private final ExecutorService executor;

    /**
     * A streaming view of a group; made by {@link FailoverGroup#streamingChatModel(StreamingOptions)}.
     *
     * @throws IllegalArgumentException when a target has no streaming model
     */
    FailoverStreamingChatLanguageModel(
            FailoverGroup group, StreamingOptions options, List<ChatModelListener> chatModelListeners, ExecutorService executor) {
        for (FailoverTarget target : group.targets()) {
            if (target.streamingChatModel().isEmpty()) {
                throw new IllegalArgumentException("target '" + target.name() + "' has no streamingChatModel; "
                        + "build it with FailoverTarget.openAiCompatible(...) or set streamingChatModel(...)");
            }
        }
        this.group = group;
        this.options = options;
        this.chatModelListeners = List.copyOf(chatModelListeners);
        this.executor = executor;
        FailoverCore core = group.core();
        this.capabilities = core.commonCapabilities(t -> t.streamingChatModel().orElseThrow().supportedCapabilities());
        this.streaming = core.streamer(options.firstTokenTimeout(), options.idleTimeout(), options.partialResponsePolicy());
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

    /** @throws IllegalStateException after the group was closed */
    @Override
    public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        requireNoNullElements(chatRequest.messages(), "messages");
        group.ensureOpen();
        executor.execute(() -> streaming.accept(chatRequest, handler));
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

    public StreamingOptions options() {
        return options;
    }

    public List<FailoverTarget> targets() {
        return group.targets();
    }

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
        return "FailoverStreamingChatLanguageModel{targets=" + group.targets() + ", config=" + group.config() + ", " + options + "}";
    }

    /**
     * Builds a {@link FailoverStreamingChatLanguageModel} on a group of its own, or on a sync model's group with
     * {@link #sharingHealthWith}; checks everything at {@link #build()}. Not thread-safe.
     */
    public static final class Builder {
        private final FailoverGroup.Builder group = FailoverGroup.builder();
        private final StreamingOptions.Builder options = StreamingOptions.builder();
        private final List<ChatModelListener> chatModelListeners = new ArrayList<>();
        /** Group settings given to this builder, in call order: sharingHealthWith rejects them. */
        private final Set<String> groupSettings = new LinkedHashSet<>();
        private ExecutorService executor;
        private FailoverChatLanguageModel sharedWith;

        private Builder() {}

        private Builder groupSetting(String name) {
            groupSettings.add(name);
            return this;
        }

        /**
         * Builds this streaming model on the sync model's group: its targets, breakers, cool-downs, config,
         * fitting and failover listeners, so a provider found dead by one model is skipped by the other. The
         * streaming options, executor and ChatModelListeners set here still apply; setting targets, config,
         * deadline, retries, fitting, a failover listener or the clock here as well is rejected at {@link #build()}
         * (they belong to the group). {@code model.group().streamingChatModel(options)} is the same, shorter.
         */
        public Builder sharingHealthWith(FailoverChatLanguageModel model) {
            this.sharedWith = Objects.requireNonNull(model, "model");
            return this;
        }

        /** Required: the targets in priority order; each needs a streaming model. */
        public Builder targets(FailoverTarget... targets) {
            group.targets(targets);
            return groupSetting("targets");
        }

        public Builder targets(List<FailoverTarget> targets) {
            group.targets(targets);
            return groupSetting("targets");
        }

        /**
         * Retries, breaker, deadline... as for the sync model; its attempt timeout is not used (see
         * {@link #firstTokenTimeout}). Only the settings {@code config} was built with by name are taken, so they
         * combine with {@link #deadline} and {@link #maxRetries} in any order.
         */
        public Builder config(FailoverConfig config) {
            group.config(config);
            return groupSetting("config");
        }

        /** The whole call including the whole stream; default {@link FailoverConfig#DEFAULT_DEADLINE}. */
        public Builder deadline(Duration deadline) {
            group.deadline(deadline);
            return groupSetting("deadline");
        }

        public Builder maxRetries(int maxRetries) {
            group.maxRetries(maxRetries);
            return groupSetting("maxRetries");
        }

        /** Longest wait for a target's first token; default {@link #DEFAULT_FIRST_TOKEN_TIMEOUT}. */
        public Builder firstTokenTimeout(Duration timeout) {
            options.firstTokenTimeout(timeout);
            return this;
        }

        /** Longest silence between chunks; default {@link #DEFAULT_IDLE_TIMEOUT}. */
        public Builder idleTimeout(Duration timeout) {
            options.idleTimeout(timeout);
            return this;
        }

        /** What to do when a stream breaks after text was delivered; default {@link PartialResponsePolicy#CONTINUE}. */
        public Builder partialResponsePolicy(PartialResponsePolicy policy) {
            options.partialResponsePolicy(policy);
            return this;
        }

        /**
         * How histories are fitted to each target's window; default {@link FittingConfig#defaults()}. Only the settings
         * {@code fitting} was built with by name are taken, so it combines with {@link #fitStrategy} in any order.
         */
        public Builder fitting(FittingConfig fitting) {
            group.fitting(fitting);
            return groupSetting("fitting");
        }

        /** Shortcut for {@code fitting(FittingConfig.builder().strategy(strategy).build())}, keeping other fitting settings. */
        public Builder fitStrategy(FitStrategy strategy) {
            group.fitStrategy(strategy);
            return groupSetting("fitStrategy");
        }

        public Builder listener(FailoverListener listener) {
            group.listener(listener);
            return groupSetting("listener");
        }

        /** LangChain4j listeners, fired once per call. */
        public Builder listeners(List<ChatModelListener> listeners) {
            requireNoNullElements(listeners, "listeners");
            chatModelListeners.clear();
            chatModelListeners.addAll(listeners);
            return this;
        }

        /** Where each call's orchestration runs; default: the group's (virtual threads on Java 21+, else daemon threads). */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public Builder clock(Clock clock) {
            group.clock(clock);
            return groupSetting("clock");
        }

        /**
         * @throws IllegalArgumentException naming the first bad value
         * @throws IllegalStateException when {@link #sharingHealthWith} is combined with a group setting
         */
        public FailoverStreamingChatLanguageModel build() {
            StreamingOptions built = options.build();
            FailoverGroup target;
            if (sharedWith != null) {
                if (!groupSettings.isEmpty()) {
                    throw new IllegalStateException("sharingHealthWith(...) takes targets, config, fitting, failover listeners "
                            + "and clock from the shared model's group; remove " + groupSettings + " from this builder");
                }
                target = sharedWith.group();
            } else {
                if (executor != null) {
                    group.executor(executor); // the group's own, for every later view too
                }
                target = group.build();
            }
            return new FailoverStreamingChatLanguageModel(target, built, chatModelListeners,
                    executor != null ? executor : target.streamExecutor());
        }
    }
}
