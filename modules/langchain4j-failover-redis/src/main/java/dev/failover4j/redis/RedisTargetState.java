package dev.failover4j.redis;

import dev.failover4j.redis.internal.Fleet;
import dev.failover4j.spi.BudgetState;
import dev.failover4j.spi.TargetState;
import dev.failover4j.spi.TargetStateFactory;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Fleet mode: the replicas of an application share what they learn about each target through Redis, so that N
 * replicas treat a provider in trouble like one would. Give it to the group builder:
 *
 * <pre>{@code
 * RedisTargetState fleet = RedisTargetState.using(RedisURI.create("rediss://redis.internal:6379")).namespace("my-app");
 * FailoverGroup group = FailoverGroup.builder().targets(primary, backup).targetStates(fleet).build();
 * ...
 * group.close();
 * fleet.close(); // on shutdown
 * }</pre>
 *
 * <p><b>Shared</b> (every replica of the namespace): a breaker opening, whatever opened it (failures, 401/403, 404,
 * 451) — the others skip the target until the delay passes; failures counting against health, fleet-wide (the
 * {@code consecutiveFailureThreshold}-th failure anywhere opens the breaker everywhere); after the delay, one
 * replica at a time holds the half-open trial ({@code halfOpenSuccessThreshold} calls), and its outcome closes or
 * re-opens the breaker everywhere; a 429's Retry-After (or {@code rateLimitCooldown}); a probe's success and
 * {@code resetHealth}, which clear the target everywhere. Each replica keeps its own in-memory state too (its local
 * truth): a call is admitted only when both admit it.
 *
 * <p><b>The healthy path makes no Redis round trip</b>: admission reads local state, kept current by pub/sub on
 * the channel {@code <namespace>:fleet} and by a sync of each target's keys every {@link #syncInterval} and on
 * (re)connection (so a replica that starts late picks up what is open). Outcomes are written asynchronously, by
 * Lua scripts, atomically.
 *
 * <p><b>Redis is optional at run time.</b> Unreachable at start, killed, restarted, paused or full: each replica
 * carries on with its own state (openings it already knew still run out), logs once at WARN, reconnects by itself
 * (Lettuce), shares what it learned meanwhile and re-syncs (logged once at INFO). No call fails or waits because of
 * Redis: a command not answered within {@link #commandTimeout} marks Redis unavailable, and nothing waits for it.
 *
 * <p><b>Keys</b> are {@code <namespace>:{<target>}:<open|down|trial|fails|rl|probe|b:...>}, one hash slot per
 * target (Redis Cluster), each with a TTL, so a crashed replica leaves nothing stuck open. Nothing secret is
 * written: target names, states, counters, durations and random replica ids — never an API key or request text.
 * AUTH, TLS and timeouts are the {@link RedisURI}'s or {@link RedisClient}'s you give.
 *
 * <p>Immutable until first used; {@link #create} connects (on a thread of its own, never the caller's). One
 * instance serves any number of groups; {@link #close()} ends its connections and thread (and a client it made).
 * Thread-safe.
 */
public final class RedisTargetState implements TargetStateFactory, AutoCloseable {

    /** The namespace when none is given: one application per Redis. */
    public static final String DEFAULT_NAMESPACE = "failover4j";
    /** How long a Redis reply may take before Redis counts as unavailable: far above a healthy Redis's milliseconds. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** A budget's minute: {@code requestsPerMinute(n)} allows n per window of this length. */
    public static final Duration DEFAULT_BUDGET_WINDOW = Duration.ofMinutes(1);
    /** How often each target's fleet state is read again (a safety net under pub/sub, and how a paused Redis is found awake). */
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(5);

    private final RedisClient client;
    private final RedisURI uri;
    private final String namespace;
    private final Duration commandTimeout;
    private final Duration syncInterval;
    private final Duration budgetWindow;
    private volatile Fleet fleet;
    private volatile boolean closed;

    private RedisTargetState(RedisClient client, RedisURI uri, String namespace, Duration commandTimeout, Duration syncInterval,
                             Duration budgetWindow) {
        this.client = client;
        this.uri = uri;
        this.namespace = namespace;
        this.commandTimeout = commandTimeout;
        this.syncInterval = syncInterval;
        this.budgetWindow = budgetWindow;
    }

    /**
     * Shares through a client you made (AUTH, TLS, timeouts, resources are yours; the client must know its
     * {@link RedisURI}, as {@code RedisClient.create(uri)} does). The client stays yours to shut down.
     *
     * @throws NullPointerException when {@code client} is null
     */
    public static RedisTargetState using(RedisClient client) {
        return new RedisTargetState(Objects.requireNonNull(client, "client"), null, DEFAULT_NAMESPACE, DEFAULT_COMMAND_TIMEOUT,
                DEFAULT_SYNC_INTERVAL, DEFAULT_BUDGET_WINDOW);
    }

    /**
     * Shares through a client made from {@code uri} (password, TLS {@code rediss://}, database in it), which
     * reconnects with a capped backoff (0.1 → 2 s) and is shut down by {@link #close()}.
     *
     * @throws NullPointerException when {@code uri} is null
     */
    public static RedisTargetState using(RedisURI uri) {
        return new RedisTargetState(null, Objects.requireNonNull(uri, "uri"), DEFAULT_NAMESPACE, DEFAULT_COMMAND_TIMEOUT,
                DEFAULT_SYNC_INTERVAL, DEFAULT_BUDGET_WINDOW);
    }

    /**
     * Shorthand for {@code using(RedisURI.create(uri))}, e.g. {@code "redis://localhost:6379"}.
     *
     * @throws IllegalArgumentException when {@code uri} is not a Redis URI (the message names it, password masked)
     */
    public static RedisTargetState using(String uri) {
        Objects.requireNonNull(uri, "uri");
        try {
            return using(RedisURI.create(uri));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a Redis URI: '" + masked(uri) + "' (" + e.getMessage() + ")", e);
        }
    }

    /**
     * @param namespace what this application's keys and channel start with; replicas share exactly when they use the
     *                  same namespace on the same Redis (default {@value #DEFAULT_NAMESPACE})
     * @return a copy with this namespace
     * @throws IllegalArgumentException when blank or containing white space, braces or a colon
     */
    public RedisTargetState namespace(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        if (namespace.isBlank() || !namespace.matches("[^\\s{}:]+")) {
            throw new IllegalArgumentException("namespace must be non-blank, without white space, braces or ':' but was '" + namespace + "'");
        }
        return copy(namespace, commandTimeout, syncInterval, budgetWindow);
    }

    /**
     * @param timeout how long a Redis reply may take before Redis counts as unavailable (default 1 s)
     * @return a copy with this timeout
     * @throws IllegalArgumentException when not positive
     */
    public RedisTargetState commandTimeout(Duration timeout) {
        return copy(namespace, positive(timeout, "commandTimeout"), syncInterval, budgetWindow);
    }

    /**
     * @param interval how often each target's fleet state is read again (default 5 s)
     * @return a copy with this interval
     * @throws IllegalArgumentException when not positive
     */
    public RedisTargetState syncInterval(Duration interval) {
        return copy(namespace, commandTimeout, positive(interval, "syncInterval"), budgetWindow);
    }

    /**
     * A budget's minute, scaled: {@code requestsPerMinute(n)} and {@code tokensPerMinute(n)} then allow n per window of
     * this length, fleet-wide (default one minute: leave it so in production). Shorter windows make budgets quick to
     * test and to show in a drill.
     *
     * @return a copy with this window
     * @throws IllegalArgumentException when shorter than 100 ms
     */
    public RedisTargetState budgetWindow(Duration window) {
        Objects.requireNonNull(window, "budgetWindow");
        if (window.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("budgetWindow must be at least 100 ms but was " + window);
        }
        return copy(namespace, commandTimeout, syncInterval, window);
    }

    /**
     * Shares a target's requests/tokens-per-minute budget with the fleet: Redis counts what each window granted
     * (atomically, in a Lua script), each replica spends a small local lease of it taken ahead of need, so a call
     * never waits on Redis; the fleet as a whole stays within the budget. While Redis is unavailable each replica
     * spends its share (the budget divided by the replicas that used it last). Called by the group once per target
     * with a budget.
     */
    @Override
    public BudgetState createBudget(BudgetContext context) {
        return fleet().createBudget(context, budgetWindow);
    }

    /**
     * Connects on first use (on the fleet's own thread); called by the group once per target.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public TargetState create(Context context) {
        return fleet().create(context);
    }

    /** @return whether the last exchange with Redis succeeded (false before the first one and while it is down) */
    public boolean isSharing() {
        Fleet current = fleet;
        return current != null && current.usable();
    }

    public String getNamespace() {
        return namespace;
    }

    /** Ends the connections and the fleet thread (and the client, when made from a URI). Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (fleet != null) {
            fleet.close();
        }
    }

    /** @throws IllegalStateException after {@link #close()} */
    private synchronized Fleet fleet() {
        if (closed) {
            throw new IllegalStateException("this RedisTargetState (namespace '" + namespace + "') is closed");
        }
        if (fleet == null) {
            fleet = client != null
                    ? new Fleet(client, namespace, commandTimeout, syncInterval, "namespace '" + namespace + "'", () -> {})
                    : ownFleet();
        }
        return fleet;
    }

    private Fleet ownFleet() {
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(DefaultClientResources.MIN_IO_THREADS)
                .computationThreadPoolSize(DefaultClientResources.MIN_COMPUTATION_THREADS)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient own = RedisClient.create(resources, uri);
        Duration connectTimeout = commandTimeout.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : commandTimeout;
        own.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS) // never queue while Redis is gone
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        String where = uri.getHost() + ":" + uri.getPort();
        return new Fleet(own, namespace, commandTimeout, syncInterval, where, () -> {
            own.shutdown(0, 2, TimeUnit.SECONDS);
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        });
    }

    private RedisTargetState copy(String namespace, Duration commandTimeout, Duration syncInterval, Duration budgetWindow) {
        if (fleet != null || closed) {
            throw new IllegalStateException("this RedisTargetState is in use; configure it before giving it to a group");
        }
        return new RedisTargetState(client, uri, namespace, commandTimeout, syncInterval, budgetWindow);
    }

    private static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive but was " + value);
        }
        return value;
    }

    /** A URI as it may be shown: the password (user-info) masked. */
    private static String masked(String uri) {
        return uri.replaceAll("//[^@/]*@", "//****@");
    }

    @Override
    public String toString() {
        return "RedisTargetState{namespace=" + namespace + (uri != null ? ", " + uri.getHost() + ":" + uri.getPort() : "")
                + (isSharing() ? ", sharing" : "") + "}";
    }
}
