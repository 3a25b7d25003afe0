package dev.failover4j.benchmarks;

import dev.failover4j.CircuitState;
import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverTarget;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The added cost per call of {@link FailoverChatLanguageModel} over the {@link ChatModel} it wraps,
 * with an in-memory model that answers at once (no I/O, so only our code is measured):
 * <ul>
 *   <li>{@code direct}: the in-memory model itself — the baseline;</li>
 *   <li>{@code healthy1} / {@code healthy3}: the failover model with 1 or 3 targets, the first serves;</li>
 *   <li>{@code firstOpen2} / {@code firstOpen3}: 2 or 3 targets whose first always fails and whose
 *       breaker was opened in setup (threshold 1, 1-day breaker delay): the cost of skipping it.</li>
 * </ul>
 * The goal is ≤ 5 µs added per call (failover minus direct, same run).
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests
 * java -jar modules/langchain4j-failover-benchmarks/target/benchmarks.jar OverheadBenchmark -f 2 -wi 5 -i 5 -w 1s -r 1s
 * # where the time goes:
 * java -jar modules/langchain4j-failover-benchmarks/target/benchmarks.jar OverheadBenchmark.healthy1 -f 1 -wi 3 -i 3 -prof gc -prof stack
 * </pre>
 * Results in {@code docs/BENCHMARKS.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class OverheadBenchmark {

    private final ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hello")).build();
    private ChatModel direct;
    private ChatModel healthy1;
    private ChatModel healthy3;
    private ChatModel firstOpen2;
    private ChatModel firstOpen3;

    @Setup
    public void setUp() {
        direct = InMemoryChatModel.answering();
        healthy1 = failover(false, 1);
        healthy3 = failover(false, 3);
        firstOpen2 = failover(true, 2);
        firstOpen3 = failover(true, 3);
    }

    static FailoverChatLanguageModel failover(boolean firstOpen, int targets) {
        List<FailoverTarget> list = new ArrayList<>();
        for (int i = 0; i < targets; i++) {
            boolean failing = firstOpen && i == 0;
            list.add(FailoverTarget.builder().name("t" + i)
                    .chatModel(failing ? InMemoryChatModel.failing() : InMemoryChatModel.answering())
                    .modelName("gpt-4o-mini").contextWindowTokens(128_000).build());
        }
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(list)
                .config(FailoverConfig.builder().maxRetries(0).consecutiveFailureThreshold(1)
                        .breakerDelay(Duration.ofDays(1)).build())
                .build();
        if (firstOpen) {
            model.chat(ChatRequest.builder().messages(UserMessage.from("open the first breaker")).build());
            if (model.health().get(0).circuitState() != CircuitState.OPEN) {
                throw new IllegalStateException("first target should be open: " + model.health());
            }
        }
        return model;
    }

    @Benchmark
    public ChatResponse direct() {
        return direct.chat(request);
    }

    @Benchmark
    public ChatResponse healthy1() {
        return healthy1.chat(request);
    }

    @Benchmark
    public ChatResponse healthy3() {
        return healthy3.chat(request);
    }

    @Benchmark
    public ChatResponse firstOpen2() {
        return firstOpen2.chat(request);
    }

    @Benchmark
    public ChatResponse firstOpen3() {
        return firstOpen3.chat(request);
    }
}
