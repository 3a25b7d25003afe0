package dev.failover4j.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's two connections to Redis (commands, and the namespace's channel) and whether Redis answers.
 *
 * <p>Nothing here ever makes a caller wait: commands are sent asynchronously and their replies handled on the
 * fleet thread; at most {@link #MAX_OUTSTANDING} are outstanding, each abandoned after the command timeout. Redis is
 * "usable" while the last exchange with it succeeded: a lost connection, a timed-out reply or too many outstanding
 * commands make it unusable (logged once, at WARN), the next reply usable again (logged once, at INFO), which
 * calls {@code onBack} so the fleet re-syncs. While unusable nothing is sent but the periodic sync, which is how a
 * paused Redis is noticed when it wakes up. Connecting (blocking, Lettuce) happens on the fleet thread only.
 */
final class RedisLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.failover4j.redis.RedisTargetState");

    /** Commands in flight beyond which Redis counts as stuck and new ones are dropped (rare: failures, leases, syncs). */
    static final int MAX_OUTSTANDING = 256;

    private final RedisClient client;
    private final String channel;
    private final Duration timeout;
    private final ScheduledExecutorService fleetThread;
    private final Consumer<String> onMessage;
    private final Runnable onBack;
    private final Runnable onReconnected;
    private final String where;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile boolean usable;
    /** Whether the current outage was logged (once per outage). */
    private boolean outageLogged;
    /** Whether Redis refused a write (full, read-only) since its last accepted write; logged once per episode. */
    private volatile boolean writesRejected;
    private volatile boolean closed;

    /**
     * @param onBack        run on the fleet thread when Redis answers after being unusable (share, then re-sync)
     * @param onReconnected run on the fleet thread when Lettuce re-established a connection: it should send a read,
     *                      whose reply (not the connection itself) makes Redis usable again
     */
    RedisLink(RedisClient client, String channel, Duration timeout, ScheduledExecutorService fleetThread,
              Consumer<String> onMessage, Runnable onBack, Runnable onReconnected, String where) {
        this.client = client;
        this.channel = channel;
        this.timeout = timeout;
        this.fleetThread = fleetThread;
        this.onMessage = onMessage;
        this.onBack = onBack;
        this.onReconnected = onReconnected;
        this.where = where;
    }

    /** @return whether the last exchange with Redis succeeded (false until the first one) */
    boolean usable() {
        return usable;
    }

    /** @return whether Redis refused a write (full, read-only) since its last accepted one */
    boolean writesRejected() {
        return writesRejected;
    }

    /** Connects when not connected; on the fleet thread only (Lettuce connects blocking). */
    void connectIfNeeded() {
        if (closed || commands != null) {
            return;
        }
        StatefulRedisConnection<String, String> connection = null;
        StatefulRedisPubSubConnection<String, String> subscriber = null;
        try {
            connection = client.connect(StringCodec.UTF8);
            subscriber = client.connectPubSub(StringCodec.UTF8);
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    onFleetThread(() -> onMessage.accept(message));
                }
            });
            subscriber.async().subscribe(channel).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            ConnectionWatch watch = new ConnectionWatch();
            connection.addListener(watch);
            subscriber.addListener(watch);
            commands = connection;
            pubSub = subscriber;
            answered();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(connection);
            closeQuietly(subscriber);
            unusable("cannot connect: " + describe(e));
        }
    }

    /**
     * Runs a script that writes, asynchronously; {@code onReply} runs on the fleet thread when Redis answered.
     * Dropped (nothing run) while Redis is unusable or too many commands are out.
     */
    <T> void write(String script, ScriptOutputType type, String[] keys, String[] args, Consumer<T> onReply) {
        send(script, type, keys, args, false, true, onReply);
    }

    /** Runs a script that only reads, even while Redis is unusable: how a Redis that came back is noticed. */
    <T> void read(String script, ScriptOutputType type, String[] keys, Consumer<T> onReply) {
        send(script, type, keys, new String[0], true, false, onReply);
    }

    private <T> void send(String script, ScriptOutputType type, String[] keys, String[] args, boolean evenIfUnusable,
                          boolean isWrite, Consumer<T> onReply) {
        StatefulRedisConnection<String, String> connection = commands;
        if (connection == null || closed || (!usable && !evenIfUnusable)) {
            return;
        }
        if (outstanding.incrementAndGet() > MAX_OUTSTANDING) {
            outstanding.decrementAndGet();
            onFleetThread(() -> unusable(MAX_OUTSTANDING + " commands without a reply"));
            return;
        }
        CompletableFuture<T> reply;
        try {
            reply = connection.async().<T>eval(script, type, keys, args).toCompletableFuture();
        } catch (RuntimeException rejected) { // e.g. disconnected and the client rejects commands
            outstanding.decrementAndGet();
            onFleetThread(() -> unusable(describe(rejected)));
            return;
        }
        reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            outstanding.decrementAndGet();
            if (closed) {
                return;
            }
            onFleetThread(() -> {
                if (error == null) {
                    answered();
                    if (isWrite) {
                        writeAccepted();
                    }
                    onReply.accept(value);
                } else {
                    failed(error);
                }
            });
        });
    }

    /** Runs a script and waits at most the command timeout; for threads that may wait (probes), never a caller's. */
    <T> T evalAndWait(String script, ScriptOutputType type, String[] keys, String... args) throws Exception {
        StatefulRedisConnection<String, String> connection = commands;
        if (connection == null || !usable || closed) {
            throw new IllegalStateException("Redis is unavailable");
        }
        return connection.async().<T>eval(script, type, keys, args).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Deletes keys, asynchronously, when Redis is usable. */
    void delete(String... keys) {
        StatefulRedisConnection<String, String> connection = commands;
        if (connection != null && usable && !closed && outstanding.get() < MAX_OUTSTANDING) {
            connection.async().del(keys);
        }
    }

    private void failed(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof io.lettuce.core.RedisCommandExecutionException rejected) {
            answered(); // Redis is there; it refused (full, read-only replica, script error)
            if (!writesRejected) {
                writesRejected = true;
                log.warn("fleet state: Redis at {} rejected a write ({}); each replica keeps its own state for what it could not share",
                        where, describe(rejected));
            }
            return;
        }
        unusable(describe(cause));
    }

    /** On the fleet thread. */
    private void answered() {
        if (!usable) {
            usable = true;
            if (outageLogged) {
                log.info("fleet state: Redis at {} is back; re-syncing", where);
            }
            outageLogged = false;
            writesRejected = false;
            onBack.run();
        }
    }

    /** On the fleet thread: a write went through after Redis refused some (e.g. memory freed): share what it missed. */
    private void writeAccepted() {
        if (writesRejected) {
            writesRejected = false;
            log.info("fleet state: Redis at {} accepts writes again; re-syncing", where);
            onBack.run();
        }
    }

    /** On the fleet thread. */
    private void unusable(String why) {
        usable = false;
        if (!outageLogged && !closed) {
            outageLogged = true;
            log.warn("fleet state: Redis at {} is unavailable ({}); each replica carries on with its own state and reconnects by itself",
                    where, why);
        }
    }

    /** Runs on the fleet thread; dropped once the fleet is closed (its connections' last events arrive after). */
    private void onFleetThread(Runnable task) {
        try {
            fleetThread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the fleet is closed: nothing left to tell
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return "no reply in time";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static void closeQuietly(AutoCloseable connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // closing a half-made connection: nothing to add
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(pubSub);
        closeQuietly(commands);
    }

    /** Lettuce reconnects by itself; this only tells the fleet when the link drops and comes back. */
    private final class ConnectionWatch implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
            onFleetThread(onReconnected); // a reply, not a connection, says Redis is back: both connections may not be yet
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            onFleetThread(() -> unusable("connection lost"));
        }
    }
}
