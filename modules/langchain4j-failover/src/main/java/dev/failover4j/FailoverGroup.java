package dev.failover4j;

import static dev.failover4j.internal.Validation.requireNoNullElements;

import dev.failover4j.health.TargetHealthSnapshot;
import dev.failover4j.internal.FailoverCore;
import dev.failover4j.spi.TargetStateFactory;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The unit users configure and operators act on: the targets, what is known about each (breaker,
 * cool-downs), the resilience and fitting settings, the listeners, and the lifecycle. A sync and a
 * streaming model made from one group share everything: a provider one of them found dead is skipped
 * by the other.
 *
 * <pre>{@code
 * FailoverGroup group = FailoverGroup.builder()
 *         .targets(primary, backup)
 *         .deadline(Duration.ofSeconds(60))
 *         .build();
 * ChatModel chat = group.chatModel();
 * StreamingChatModel streaming = group.streamingChatModel(StreamingOptions.defaults());
 * ...
 * group.close(); // on shutdown
 * }</pre>
 *
 * <p>{@link FailoverChatLanguageModel#builder()} and {@link FailoverStreamingChatLanguageModel#builder()}
 * remain as shortcuts that build a private group ({@code model.group()} reaches it).
 *
 * <p>Threads: attempts run on the caller's thread; attempt timeouts are enforced by one daemon timer
 * thread shared by every group in the JVM (it ends when nothing is armed); streams are orchestrated on
 * the group's executor (default: virtual threads on Java 21+, else a cached pool of daemon threads, shut
 * down by {@link #close()}; an executor you pass is yours to shut down). Thread-safe.
 */
public final class FailoverGroup implements AutoCloseable {

    private final FailoverCore core;
    private final FailoverConfig config;
    private final FittingConfig fitting;
    private final List<ChatModelListener> chatModelListeners;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final FailoverChatLanguageModel chatModel;
    private volatile FailoverStreamingChatLanguageModel defaultStreamingModel;
    private volatile boolean closed;
    /** The probe thread, when probes are on. */
    private final ScheduledExecutorService probes;

    private FailoverGroup(Builder builder) {
        this.config = builder.configBuilder.build();
        this.fitting = builder.fitting;
        this.chatModelListeners = List.copyOf(builder.chatModelListeners);
        this.core = new FailoverCore(builder.targets, config, fitting, builder.clock, builder.listeners, FailoverTarget::secrets,
                builder.targetStates, builder.routing, builder.canaries, builder.probes, builder.hedging);
        this.probes = builder.probes == null ? null : startProbes(builder.probes);
        this.ownsExecutor = builder.executor == null;
        this.executor = ownsExecutor ? defaultExecutor() : builder.executor;
        this.chatModel = new FailoverChatLanguageModel(this, chatModelListeners);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return the group's {@code ChatModel} (one instance per group; use it wherever a {@code ChatModel} goes) */
    public FailoverChatLanguageModel chatModel() {
        return chatModel;
    }

    /**
     * @return a streaming view with {@link StreamingOptions#defaults()} (one instance per group)
     * @throws IllegalArgumentException when a target has no streaming model
     */
    public FailoverStreamingChatLanguageModel streamingChatModel() {
        FailoverStreamingChatLanguageModel model = defaultStreamingModel;
        if (model == null) {
            model = streamingChatModel(StreamingOptions.defaults());
            defaultStreamingModel = model;
        }
        return model;
    }

    /**
     * @return a streaming view with these options, sharing this group's targets, state and listeners
     * @throws IllegalArgumentException when a target has no streaming model
     */
    public FailoverStreamingChatLanguageModel streamingChatModel(StreamingOptions options) {
        return new FailoverStreamingChatLanguageModel(this, Objects.requireNonNull(options, "options"), chatModelListeners, executor);
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
        core.resetHealth(targetName);
    }

    /**
     * Checks one target with its {@link HealthCheck} ({@code GET {baseUrl}/models} for {@code openAiCompatible}
     * targets; else a one-token request, {@code "ping"} with {@code maxOutputTokens(1)}), bypassing its breaker and
     * cool-downs, bounded by the attempt timeout. A success clears its breaker and cool-downs; a
     * failure is recorded like a failed attempt. Off the request path: an operator action or a scheduled check.
     *
     * @return whether the target answered
     * @throws IllegalArgumentException when no target has that name
     */
    public boolean probe(String targetName) {
        ensureOpen();
        return core.probe(targetName);
    }

    /**
     * Adds a listener for the events of every later call on the group's models, e.g. a metrics binder that
     * subscribes to a group built elsewhere. Listeners given to the builder come first. Thread-safe.
     */
    public void addListener(FailoverListener listener) {
        core.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** @return whether the listener was registered (and is now removed) */
    public boolean removeListener(FailoverListener listener) {
        return core.removeListener(listener);
    }

    /**
     * Changes a target's weight for {@link RoutingStrategy#weighted()} at run time (e.g. a canary ramp); 0 keeps it
     * out unless its tier has nothing else. Thread-safe.
     *
     * @throws IllegalArgumentException when no target has that name or the weight is negative
     */
    public void setWeight(String targetName, int weight) {
        core.setWeight(targetName, weight);
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops the group: later calls on its models throw {@link IllegalStateException}; calls in flight finish;
     * the default streaming executor is shut down once they have (an executor given to the builder is not).
     * Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        if (ownsExecutor) {
            executor.shutdown();
        }
        if (probes != null) {
            probes.shutdownNow();
        }
        core.close();
    }

    /** @throws IllegalStateException after {@link #close()} */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this FailoverGroup (targets " + core.targets().stream().map(FailoverTarget::name)
                    .toList() + ") is closed");
        }
    }

    FailoverCore core() {
        return core;
    }

    ExecutorService streamExecutor() {
        return executor;
    }

    @Override
    public String toString() {
        return "FailoverGroup{targets=" + core.targets() + ", config=" + config + (closed ? ", closed" : "") + "}";
    }

    private ScheduledExecutorService startProbes(Probes settings) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "failover-probe-" + PROBE_THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        long millis = settings.interval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                core.runProbes();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(FailoverGroup.class).warn("a probe round failed; the next one runs as planned", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
        return scheduler;
    }

    private static final AtomicInteger PROBE_THREADS = new AtomicInteger();

    /**
     * Runs one round of background checks now (what the probe thread does every interval): each target whose
     * breaker is open gets one check; see {@link Probes}. For operators and tests.
     */
    public void runProbes() {
        ensureOpen();
        core.runProbes();
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

    /** Builds a {@link FailoverGroup}; checks everything at {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final List<FailoverTarget> targets = new ArrayList<>();
        private final FailoverConfig.Builder configBuilder = FailoverConfig.builder();
        private final List<FailoverListener> listeners = new ArrayList<>();
        private final List<ChatModelListener> chatModelListeners = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private FittingConfig fitting = FittingConfig.defaults();
        private ExecutorService executor;
        private TargetStateFactory targetStates = TargetStateFactory.inMemory();
        private RoutingStrategy routing = RoutingStrategy.priority();
        private final List<CanaryRamp> canaries = new ArrayList<>();
        private Probes probes;
        private Hedging hedging;

        private Builder() {}

        /** Hedged requests: a second attempt on the next target when the first is slow; off by default (see {@link Hedging}). */
        public Builder hedging(Hedging hedging) {
            this.hedging = Objects.requireNonNull(hedging, "hedging");
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
         * Resilience settings; only those {@code config} was built with by name are taken, so they combine with
         * {@link #attemptTimeout}, {@link #deadline} and {@link #maxRetries} in any order (the later call wins for
         * a setting both name).
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

        /**
         * How histories are fitted to each target's window; default {@link FittingConfig#defaults()}. Only the
         * settings {@code fitting} was built with by name are taken, so it combines with {@link #fitStrategy}.
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

        /** Adds a listener for {@link FailoverEvent}s of every call on the group's models. */
        public Builder listener(FailoverListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** LangChain4j listeners of the group's models, fired once per call (replaces any given before). */
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

        /** Where streams are orchestrated; default: virtual threads on Java 21+, else daemon threads (see the class comment). */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * How the targets of one tier (equal {@link FailoverTarget#priority()}) share calls; default
         * {@link RoutingStrategy#priority()}. Without priorities every target is a tier of its own and this is not asked.
         */
        public Builder routing(RoutingStrategy strategy) {
            this.routing = Objects.requireNonNull(strategy, "routing");
            return this;
        }

        /** Background checks of targets whose breaker is open, and down/recovered alerts; off by default (see {@link Probes}). */
        public Builder probes(Probes probes) {
            this.probes = Objects.requireNonNull(probes, "probes");
            return this;
        }

        /**
         * Ramps a new target's share of its tier up step by step and rolls it back by itself when it fails (see
         * {@link CanaryRamp}); the tier should route with {@link RoutingStrategy#weighted()}.
         */
        public Builder canary(CanaryRamp ramp) {
            canaries.add(Objects.requireNonNull(ramp, "ramp"));
            return this;
        }

        /**
         * Where each target's state (breaker, cool-downs) and budget ({@code requestsPerMinute}, {@code tokensPerMinute})
         * live; default {@link TargetStateFactory#inMemory()}. A fleet module's factory shares them between the replicas
         * of an application.
         */
        public Builder targetStates(TargetStateFactory factory) {
            this.targetStates = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad value */
        public FailoverGroup build() {
            return new FailoverGroup(this);
        }
    }
}
