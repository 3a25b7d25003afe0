package dev.failover4j.benchmarks;

import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverTarget;
import dev.failover4j.RoutingStrategy;
import dev.failover4j.TokenPrice;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of routing within a tier: a call on a group of 8 in-memory targets (every answer at once, no I/O)
 * in one tier routed by each built-in strategy, against the same 8 targets without priorities (the list order,
 * no routing at all). The difference is the routing decision (views of the 8 candidates, the strategy's
 * ordering, the check of its answer); goal ≤ 0.5 µs.
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests
 * java -jar modules/langchain4j-failover-benchmarks/target/benchmarks.jar RoutingBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 * Results in {@code docs/BENCHMARKS.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RoutingBenchmark {

    private static final int TARGETS = 8;

    @Param({"none", "priority", "roundRobin", "weighted", "leastLatency", "lowestCost"})
    public String strategy;

    private final ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hello")).build();
    private FailoverGroup group;
    private ChatModel model;

    @Setup
    public void setUp() {
        boolean tiered = !strategy.equals("none");
        List<FailoverTarget> targets = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            FailoverTarget.Builder target = FailoverTarget.builder().name("t" + i).chatModel(InMemoryChatModel.answering())
                    .modelName("gpt-4o-mini").contextWindowTokens(128_000).weight(1 + i)
                    .price(TokenPrice.perMillion(String.valueOf(1 + i), String.valueOf(4 + i)));
            targets.add(tiered ? target.priority(0).build() : target.build());
        }
        Supplier<RoutingStrategy> routing = switch (strategy) {
            case "roundRobin" -> RoutingStrategy::roundRobin;
            case "weighted" -> RoutingStrategy::weighted;
            case "leastLatency" -> RoutingStrategy::leastLatency;
            case "lowestCost" -> RoutingStrategy::lowestCost;
            default -> RoutingStrategy::priority;
        };
        group = FailoverGroup.builder().targets(targets).routing(routing.get()).build();
        model = group.chatModel();
    }

    @TearDown
    public void tearDown() {
        group.close();
    }

    @Benchmark
    public ChatResponse call() {
        return model.chat(request);
    }
}
