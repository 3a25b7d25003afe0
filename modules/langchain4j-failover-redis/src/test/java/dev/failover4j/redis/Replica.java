package dev.failover4j.redis;

import dev.failover4j.CircuitState;
import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverTarget;
import dev.failover4j.health.TargetHealthSnapshot;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.langchain4j.data.message.UserMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * One replica of an application in a test: its own {@link RedisTargetState} (own client, own connections) and its
 * own {@link FailoverGroup} over a primary and a backup (testkit servers shared by all replicas). Each replica's calls
 * say "hello from its name", so a server's recorded requests tell the replicas apart.
 */
final class Replica implements AutoCloseable {

    final String name;
    final RedisTargetState fleet;
    final FailoverGroup group;
    final List<FailoverEvent> events = new CopyOnWriteArrayList<>();

    Replica(String name, RedisTargetState fleet, FailoverConfig config, ChaosOpenAiServer... servers) {
        this(name, fleet, config, java.util.Arrays.stream(servers).map(s -> target(s, name).build()).toList());
    }

    Replica(String name, RedisTargetState fleet, FailoverConfig config, List<FailoverTarget> targets) {
        this.name = name;
        this.fleet = fleet;
        this.group = FailoverGroup.builder().targets(targets).config(config).targetStates(fleet).listener(events::add).build();
    }

    /** A replica around a group built by the test (its listener events are not recorded); {@code fleet} null: in memory. */
    Replica(String name, RedisTargetState fleet, FailoverGroup group) {
        this.name = name;
        this.fleet = fleet;
        this.group = group;
    }

    static Replica of(String name, RedisServer redis, String namespace, FailoverConfig config, ChaosOpenAiServer... servers) {
        return new Replica(name, RedisTargetState.using(redis.uri()).namespace(namespace), config, servers);
    }

    static dev.failover4j.OpenAiCompatibleTargetBuilder target(ChaosOpenAiServer server, String replica) {
        return FailoverTarget.openAiCompatible(server.name()).baseUrl(server.baseUrl()).apiKey(apiKey(replica))
                .modelName(server.modelName()).contextWindowTokens(server.contextWindowTokens());
    }

    static String apiKey(String replica) {
        return "sk-live-" + replica + "-SECRET-0123456789abcdef";
    }

    /** @return the requests {@code server} received from this replica (its calls say "hello from name") */
    long requestsTo(ChaosOpenAiServer server) {
        return server.requests().stream().filter(r -> r.lastUserText().equals(userText())).count();
    }

    /** What this replica's calls say, so that a server's recorded requests tell the replicas apart. */
    String userText() {
        return "hello from " + name;
    }

    /** @return the name of the target that served one call */
    String chat() {
        return ((FailoverChatResponseMetadata) group.chatModel().chat(UserMessage.from(userText())).metadata()).targetName();
    }

    TargetHealthSnapshot health(String target) {
        return group.health().stream().filter(h -> h.target().equals(target)).findFirst().orElseThrow();
    }

    CircuitState state(String target) {
        return health(target).circuitState();
    }

    /** Waits (bounded) until this replica's fleet has talked to Redis. */
    Replica awaitSharing() {
        await(fleet::isSharing, Duration.ofSeconds(10), name + " sharing through Redis");
        return this;
    }

    /** Waits until {@code condition} holds, at most {@code timeout}, re-checking every 5 ms; fails naming {@code what}. */
    static void await(BooleanSupplier condition, Duration timeout, String what) {
        if (!within(condition, timeout)) {
            throw new AssertionError("not within " + timeout + ": " + what);
        }
    }

    /** @return whether {@code condition} held within {@code timeout} (re-checked every 5 ms) */
    static boolean within(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        return true;
    }

    @Override
    public void close() {
        group.close();
        if (fleet != null) {
            fleet.close();
        }
    }

    @Override
    public String toString() {
        return "replica " + name;
    }
}
