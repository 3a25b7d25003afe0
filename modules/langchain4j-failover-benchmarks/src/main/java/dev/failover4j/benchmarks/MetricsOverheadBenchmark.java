package dev.failover4j.benchmarks;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.micrometer.FailoverMetrics;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The added cost per call of {@link FailoverMetrics} on the healthy path (one target, it answers at once, an
 * in-memory model: no I/O), in one run:
 * <ul>
 *   <li>{@code healthy}: no listener — the group builds no event at all;</li>
 *   <li>{@code healthyNoopListener}: a listener that does nothing — what any listener costs (the group now builds
 *       the call's events);</li>
 *   <li>{@code healthyMetrics}: {@link FailoverMetrics} bound to a {@link SimpleMeterRegistry} (default config: no
 *       histograms) — the whole cost of metrics; minus {@code healthyNoopListener}, the meters' own share.</li>
 * </ul>
 * The goal is ≤ 1 µs added per call ({@code healthyMetrics} minus {@code healthy}, same run).
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests
 * java -jar modules/langchain4j-failover-benchmarks/target/benchmarks.jar 'MetricsOverheadBenchmark' -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsOverheadBenchmark {

    private final ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hello")).build();
    private ChatModel healthy;
    private ChatModel healthyNoopListener;
    private ChatModel healthyMetrics;
    private FailoverMetrics metrics;

    @Setup
    public void setUp() {
        healthy = OverheadBenchmark.failover(false, 1);
        FailoverChatLanguageModel noop = OverheadBenchmark.failover(false, 1);
        noop.group().addListener(event -> { });
        healthyNoopListener = noop;
        FailoverChatLanguageModel measured = OverheadBenchmark.failover(false, 1);
        metrics = FailoverMetrics.bind(measured.group(), new SimpleMeterRegistry());
        healthyMetrics = measured;
    }

    @TearDown
    public void tearDown() {
        metrics.close();
    }

    @Benchmark
    public ChatResponse healthy() {
        return healthy.chat(request);
    }

    @Benchmark
    public ChatResponse healthyNoopListener() {
        return healthyNoopListener.chat(request);
    }

    @Benchmark
    public ChatResponse healthyMetrics() {
        return healthyMetrics.chat(request);
    }
}
