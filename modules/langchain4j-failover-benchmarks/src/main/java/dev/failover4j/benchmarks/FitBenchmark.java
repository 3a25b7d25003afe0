package dev.failover4j.benchmarks;

import com.knuddels.jtokkit.api.EncodingType;
import dev.failover4j.fit.ContextFitter;
import dev.failover4j.fit.FitResult;
import dev.failover4j.fit.Tokenizer;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * How long {@link ContextFitter#fit} takes for histories of 100, 1,000 and 10,000 messages (tool
 * groups, German/Japanese/Russian/English text, o200k) fitted into 8k and 128k token windows. All
 * histories are the newest messages of one generated conversation, so in a given window they share
 * the part that is kept and any difference in time comes from the length of the history alone.
 *
 * <ul>
 *   <li>{@code cold}: a fresh fitter (empty cache) per call: the first fit of a conversation on a target.
 *       The jtokkit encoding itself is loaded once per JVM, before measuring.</li>
 *   <li>{@code warmOneNewMessage}: the fitter has already fitted the history; each call fits the history
 *       plus one new, never-seen user message (the next turn of a growing conversation). The cost of
 *       copying the history into the new list is included, as a caller building a request pays it.</li>
 * </ul>
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests
 * java -jar modules/langchain4j-failover-benchmarks/target/benchmarks.jar FitBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 * Results and their reading are in {@code docs/BENCHMARKS.md}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FitBenchmark {

    private static final int MASTER_SIZE = 10_000;

    @Param({"100", "1000", "10000"})
    public int messages;

    @Param({"8192", "131072"})
    public int window;

    private Tokenizer tokenizer;
    private List<ChatMessage> history;
    private ContextFitter warmFitter;
    private Random random;
    private int turn;

    @Setup
    public void setUp() {
        tokenizer = Tokenizer.of(EncodingType.O200K_BASE);
        tokenizer.countText("load the encoding before measuring");
        history = Histories.newest(Histories.generate(MASTER_SIZE, 42), messages);
        warmFitter = ContextFitter.of(tokenizer);
        warmFitter.fit(history, null, window);
        random = new Random(7);
        turn = 1_000_000;
    }

    @Benchmark
    public FitResult cold() {
        return ContextFitter.of(tokenizer).fit(history, null, window);
    }

    @Benchmark
    public FitResult warmOneNewMessage() {
        List<ChatMessage> grown = new ArrayList<>(history.size() + 1);
        grown.addAll(history);
        grown.add(UserMessage.from(Histories.text(random, 2, turn++)));
        return warmFitter.fit(grown, null, window);
    }
}
