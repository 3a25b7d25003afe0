package dev.failover4j.benchmarks;

import dev.failover4j.testkit.LocalRedisServer;
import dev.failover4j.FailoverGroup;
import dev.failover4j.redis.RedisTargetState;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The healthy path's cost with fleet mode on versus off, in one run (one in-memory target that answers at once, no
 * I/O, so only our code is measured; a real redis-server on loopback, started in setup):
 * <ul>
 *   <li>{@code inMemory}: the default in-memory state;</li>
 *   <li>{@code redisSharing}: {@link RedisTargetState} connected to Redis — the goal is ≤ 1.02 × {@code inMemory};</li>
 *   <li>{@code inMemoryBudget} / {@code redisBudget}: the same with a requests-per-minute budget that never runs out
 *       (Failsafe rate limiter versus local leases of the fleet budget).</li>
 * </ul>
 * Needs Debian's {@code redis-server} on the PATH.
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests
 * java -jar modules/langchain4j-failover-benchmarks/target/benchmarks.jar FleetOverheadBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class FleetOverheadBenchmark {

    private final ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hello")).build();
    private LocalRedisServer redis;
    private RedisTargetState fleet;
    private FailoverGroup inMemory;
    private FailoverGroup redisSharing;
    private FailoverGroup inMemoryBudget;
    private FailoverGroup redisBudget;
    private ChatModel inMemoryModel;
    private ChatModel redisModel;
    private ChatModel inMemoryBudgetModel;
    private ChatModel redisBudgetModel;

    @Setup
    public void setUp() {
        redis = LocalRedisServer.start();
        fleet = RedisTargetState.using(redis.uri()).namespace("bench");
        inMemory = group(null, false);
        redisSharing = group(fleet, false);
        inMemoryBudget = group(null, true);
        redisBudget = group(fleet, true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!fleet.isSharing() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        if (!fleet.isSharing()) {
            throw new IllegalStateException("not connected to " + redis.uri());
        }
        inMemoryModel = inMemory.chatModel();
        redisModel = redisSharing.chatModel();
        inMemoryBudgetModel = inMemoryBudget.chatModel();
        redisBudgetModel = redisBudget.chatModel();
    }

    private static FailoverGroup group(RedisTargetState fleet, boolean budget) {
        return FleetOverheadBenchmarkGroups.group(fleet, budget);
    }

    @TearDown
    public void tearDown() {
        inMemory.close();
        redisSharing.close();
        inMemoryBudget.close();
        redisBudget.close();
        fleet.close();
        redis.close();
    }

    @Benchmark
    public ChatResponse inMemory() {
        return inMemoryModel.chat(request);
    }

    @Benchmark
    public ChatResponse redisSharing() {
        return redisModel.chat(request);
    }

    @Benchmark
    public ChatResponse inMemoryBudget() {
        return inMemoryBudgetModel.chat(request);
    }

    @Benchmark
    public ChatResponse redisBudget() {
        return redisBudgetModel.chat(request);
    }
}
