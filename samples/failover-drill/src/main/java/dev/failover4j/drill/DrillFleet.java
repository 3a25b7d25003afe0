package dev.failover4j.drill;

import dev.failover4j.testkit.LocalRedisServer;
import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverListener;
import dev.failover4j.FailoverTarget;
import dev.failover4j.redis.RedisTargetState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The application's replicas in the drill ({@code --replicas N}): a group each, over the same providers, users spread
 * over them; in fleet mode ({@code --redis URI}, or {@code local} to start a redis-server) they share target state
 * through Redis, so that an outage one replica finds keeps them all away. Without {@code --redis} each keeps its
 * own state — the contrast fleet mode is for.
 */
final class DrillFleet implements AutoCloseable {

    private final LocalRedisServer localRedis;
    private final List<RedisTargetState> states = new ArrayList<>();
    private final List<FailoverGroup> groups = new ArrayList<>();
    private final String description;

    private DrillFleet(DrillOptions options, List<FailoverTarget> targets, FailoverConfig config, FailoverListener listener,
            UnaryOperator<FailoverGroup.Builder> settings) {
        String uri = options.redis();
        this.localRedis = DrillOptions.LOCAL_REDIS.equals(uri) ? LocalRedisServer.start() : null;
        if (localRedis != null) {
            uri = localRedis.uri();
        }
        String namespace = "failover-drill-" + System.currentTimeMillis(); // a run never meets an earlier run's keys
        for (int i = 0; i < options.replicas(); i++) {
            FailoverGroup.Builder group = settings.apply(FailoverGroup.builder().targets(targets).config(config).listener(listener));
            if (uri != null) {
                RedisTargetState state = RedisTargetState.using(uri).namespace(namespace);
                states.add(state);
                group.targetStates(state);
            }
            groups.add(group.build());
        }
        this.description = options.replicas() == 1 && uri == null ? null
                : options.replicas() + " replicas (users spread over them), " + (uri == null ? "each with its own state (no --redis)"
                : "sharing target state through Redis at " + (localRedis != null ? "a local redis-server, " + uri : "--redis"));
    }

    /**
     * @throws IllegalStateException when {@code --redis local} and redis-server is not installed
     */
    static DrillFleet start(DrillOptions options, List<FailoverTarget> targets, FailoverConfig config, FailoverListener listener,
            UnaryOperator<FailoverGroup.Builder> settings) {
        DrillFleet fleet = new DrillFleet(options, targets, config, listener, settings);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!fleet.states.stream().allMatch(RedisTargetState::isSharing) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return fleet;
    }

    /** @return what the header says about the replicas, or null for the classic one-model drill */
    String description() {
        return description;
    }

    /** @return whether every replica talks to Redis (true when none should) */
    boolean sharing() {
        return states.stream().allMatch(RedisTargetState::isSharing);
    }

    FailoverChatLanguageModel first() {
        return groups.get(0).chatModel();
    }

    /** @return the model of the replica that serves user {@code user} */
    FailoverChatLanguageModel forUser(int user) {
        return groups.get(user % groups.size()).chatModel();
    }

    List<FailoverGroup> groups() {
        return groups;
    }

    @Override
    public void close() {
        groups.forEach(FailoverGroup::close);
        states.forEach(RedisTargetState::close);
        if (localRedis != null) {
            localRedis.close();
        }
    }
}
