package dev.failover4j.redis.internal;

import dev.failover4j.FailoverConfig;
import dev.failover4j.SkipReason;
import dev.failover4j.spi.TargetState;
import dev.failover4j.spi.TargetStateFactory;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The door of this package: one replica's membership in a namespace. It owns the {@link RedisLink}, one daemon
 * thread ("failover-redis-N": connecting, syncing, applying what others published) and the states it made, and
 * turns their facts into scripts ({@link FleetScripts}). Every write is asynchronous and dropped while Redis is
 * unusable; every {@code syncInterval} (and whenever Redis comes back) each target's fleet state is read again, so
 * a missed message, a restarted Redis or a replica that started late all converge.
 */
public final class Fleet implements AutoCloseable {

    /** How long the fleet's "not closed" mark outlives an opening: long enough for trials, short enough to leave nothing behind. */
    static final Duration DOWN_EXTRA = Duration.ofMinutes(10);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String namespace;
    private final String channel;
    private final String self;
    private final RedisLink link;
    private final ScheduledExecutorService thread;
    private final Runnable onClose;
    private final Map<String, List<FleetTargetState>> states = new ConcurrentHashMap<>();
    private final List<FleetBudget> budgets = new CopyOnWriteArrayList<>();

    /**
     * @param onClose run last by {@link #close()} (shuts down a client this fleet made)
     * @param where   how logs name the Redis server (host and port, never credentials)
     */
    public Fleet(RedisClient client, String namespace, Duration commandTimeout, Duration syncInterval, String where, Runnable onClose) {
        this.namespace = namespace;
        this.channel = FleetKeys.channel(namespace);
        this.self = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        this.onClose = onClose;
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "failover-redis-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.link = new RedisLink(client, channel, commandTimeout, thread, this::received, this::back,
                () -> forEachState(state -> sync(state, true)), where);
        thread.execute(link::connectIfNeeded);
        long every = syncInterval.toMillis();
        thread.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    /** @return a target's fleet state, registered to receive what other replicas publish about it */
    public TargetState create(TargetStateFactory.Context context) {
        FleetTargetState state = new FleetTargetState(context, this, new FleetKeys(namespace, context.target()));
        states.computeIfAbsent(context.target(), name -> new CopyOnWriteArrayList<>()).add(state);
        thread.execute(() -> sync(state, false)); // a replica that starts late learns what is open
        return state;
    }

    /** @return whether the last exchange with Redis succeeded */
    public boolean usable() {
        return link.usable();
    }

    /** @return this replica's id in the namespace (random per process and factory; shown in logs and Redis, nothing else) */
    public String replicaId() {
        return self;
    }

    public String namespace() {
        return namespace;
    }

    // ---- facts from the states (any thread; never blocking) --------------------------------------------------------

    void open(FleetTargetState state, SkipReason reason, Duration duration) {
        long millis = Math.max(1, duration.toMillis());
        link.write(FleetScripts.OPEN, ScriptOutputType.INTEGER, state.keys().breaker(),
                args(reason.name(), millis, millis + DOWN_EXTRA.toMillis(), channel, self, state.target()), ignored -> {});
    }

    void countFailure(FleetTargetState state) {
        FailoverConfig config = state.config();
        long open = config.breakerDelay().toMillis();
        long window = open + config.attemptTimeout().toMillis();
        link.write(FleetScripts.FAIL, ScriptOutputType.INTEGER, state.keys().breaker(),
                args(config.consecutiveFailureThreshold(), window, open, open + DOWN_EXTRA.toMillis(), channel, self, state.target()), ignored -> {});
    }

    void clearFailures(FleetTargetState state) {
        link.delete(state.keys().failures());
    }

    void rateLimit(FleetTargetState state, Duration duration) {
        link.write(FleetScripts.RATE_LIMIT, ScriptOutputType.INTEGER, new String[] {state.keys().rateLimited()},
                args(Math.max(1, duration.toMillis()), channel, self, state.target()), ignored -> {});
    }

    void closeBreaker(FleetTargetState state) {
        link.write(FleetScripts.CLOSE, ScriptOutputType.INTEGER, state.keys().breaker(), args(channel, self, state.target()), ignored -> {});
    }

    void halfOpen(FleetTargetState state) {
        link.write(FleetScripts.HALF_OPEN, ScriptOutputType.INTEGER, new String[] {state.keys().open()},
                args(channel, self, state.target()), ignored -> {});
    }

    void reset(FleetTargetState state) {
        FleetKeys keys = state.keys();
        link.write(FleetScripts.RESET, ScriptOutputType.INTEGER,
                new String[] {keys.open(), keys.down(), keys.trial(), keys.failures(), keys.rateLimited()},
                args(channel, self, state.target()), ignored -> {});
    }

    void claimTrial(FleetTargetState state, long epoch) {
        link.<Long>write(FleetScripts.CLAIM, ScriptOutputType.INTEGER, new String[] {state.keys().trial()},
                args(self, state.trialLeaseMillis()), reply -> state.claimAnswered(epoch, reply));
    }

    /**
     * Claims this interval's probe of a target, waiting at most the command timeout: on the probe thread only.
     *
     * @return whether this replica probes it (also when Redis cannot tell: then each replica probes on its own)
     */
    boolean claimProbe(FleetTargetState state, Duration interval) {
        if (!link.usable()) {
            return true;
        }
        try {
            Long granted = link.evalAndWait(FleetScripts.CLAIM_PROBE, ScriptOutputType.INTEGER, new String[] {state.keys().probe()},
                    self, String.valueOf(Math.max(1, interval.toMillis())));
            return granted != null && granted == 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception unknown) {
            return true;
        }
    }

    /**
     * Asks Redis for a budget lease ({@link FleetScripts#TAKE}); {@code onReply} gets its answer on the fleet thread.
     *
     * @return whether the request was sent (false while Redis is unusable)
     */
    boolean takeBudget(FleetBudget budget, Duration window, long requestLimit, long tokenLimit, long wantRequests,
                       long wantTokens, int windowOffset, java.util.function.Consumer<List<Long>> onReply) {
        if (!link.usable()) {
            return false;
        }
        link.<List<Long>>write(FleetScripts.TAKE, ScriptOutputType.MULTI, new String[] {budget.keys().budget()},
                args(window.toMillis(), requestLimit, tokenLimit, wantRequests, wantTokens, self, windowOffset), onReply);
        return true;
    }

    /** Runs {@code task} on the fleet thread after {@code millis} (nothing once closed). */
    void schedule(Runnable task, long millis) {
        try {
            thread.schedule(task, millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the fleet is closed
        }
    }

    /** @return a target's budget shared by the fleet, in windows of {@code window} */
    public dev.failover4j.spi.BudgetState createBudget(TargetStateFactory.BudgetContext context, Duration window) {
        FleetBudget budget = new FleetBudget(this, new FleetKeys(namespace, context.target()), context.clock(), window,
                context.requestsPerMinute(), context.tokensPerMinute());
        budgets.add(budget);
        thread.execute(budget::start);
        return budget;
    }

    // ---- the fleet thread ---------------------------------------------------------------------------------------

    private void received(String text) {
        FleetMessage message = FleetMessage.decode(text);
        if (message == null) {
            return;
        }
        List<FleetTargetState> targets = states.get(message.target());
        if (targets != null) {
            boolean fromHere = self.equals(message.origin());
            for (FleetTargetState state : targets) {
                state.apply(message, fromHere);
            }
        }
    }

    private void heartbeat() {
        link.connectIfNeeded();
        if (link.usable() && link.writesRejected()) {
            forEachState(FleetTargetState::shareLocalTruths); // Redis was full: try again what it refused
        }
        forEachState(state -> sync(state, true));
    }

    /** Redis answered again after an outage (or for the first time): share what was learned meanwhile, then read back. */
    private void back() {
        forEachState(FleetTargetState::shareLocalTruths);
        forEachState(state -> sync(state, false));
        budgets.forEach(FleetBudget::start);
    }

    private void sync(FleetTargetState state, boolean evenIfUnusable) {
        FleetKeys keys = state.keys();
        if (!evenIfUnusable && !link.usable()) {
            return;
        }
        link.<List<Object>>read(FleetScripts.SYNC, ScriptOutputType.MULTI,
                new String[] {keys.open(), keys.down(), keys.rateLimited(), keys.trial()}, fields -> state.synced(fields, self));
    }

    private void forEachState(java.util.function.Consumer<FleetTargetState> action) {
        for (List<FleetTargetState> targets : states.values()) {
            targets.forEach(action);
        }
    }

    private static String[] args(Object... values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = String.valueOf(values[i]);
        }
        return out;
    }

    @Override
    public void close() {
        link.close(); // first: its connections' last events still find the thread
        thread.shutdownNow();
        onClose.run();
    }
}
