package dev.failover4j.benchmarks;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.benchmarks.ThroughputDriver.LoopbackTarget;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Throughput of the failover model against the {@code OpenAiChatModel} it wraps at 1, 16 and 64 caller
 * threads, with the two interleaved <em>call by call inside one load</em>: every caller makes pairs of
 * one direct and one failover call, in random order, and adds each call's wall time to its path. A caller that keeps
 * {@code threads} calls in flight completes {@code threads / mean time per call} calls per second, so
 * the throughput ratio of a round is {@code mean direct time / mean failover time}; both paths meet the
 * same load, GC pauses, JIT events and noisy neighbours at the same moments, which phase-by-phase
 * comparisons ({@link ThroughputDriver}) cannot give on a 2-core machine (± 5 % between runs).
 *
 * <p>On a saturated machine time per call is processor-shared: a call that needs {@code c} µs of CPU
 * takes {@code c × threads / cores} µs, so the ratio of times is the ratio of CPU costs — what the
 * throughput of each path alone would be. Two things the interleaving shares instead of attributing:
 * the failover path's extra garbage (≈ 1 KB a call, JMH) is collected in pauses that stop both paths'
 * calls alike (so the driver prints the bytes each path allocates on the calling thread, to size that
 * share), and the load each call meets is the mix of both paths rather than its own path alone.
 *
 * <p>Each thread count also runs the same rounds with the direct model on both sides (an A/A control):
 * its spread is what this method can resolve on the machine at hand.
 *
 * <p>Bounded: per thread count, 2 × {@code rounds} rounds of {@code roundSeconds}, plus a warm-up (60 s).
 * Run: {@code mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests &&
 * java -cp modules/langchain4j-failover-benchmarks/target/benchmarks.jar dev.failover4j.benchmarks.InterleavedThroughputDriver [raw|mockwebserver|http://127.0.0.1:PORT/v1] [roundSeconds=4] [rounds=9] [threadCounts=1,16,64] [warmUpSeconds=60]}
 */
public final class InterleavedThroughputDriver {

    private static final long MAX_PAIRS_PER_THREAD_AND_ROUND = 1_000_000;

    public static void main(String[] args) throws InterruptedException {
        String server = args.length > 0 ? args[0] : "raw";
        int roundSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        int[] threadCounts = ThroughputDriver.threadCounts(args, 3);
        int warmUpSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
        LoopbackTarget loopback = LoopbackTarget.open(server);
        ChatModel direct = loopback.target().chatModel();
        ChatModel failover = FailoverChatLanguageModel.builder().targets(loopback.target()).build();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hello")).build();
        // Warm-up at 16 callers: on 2 cores the JIT's compiler threads get little CPU under load, and
        // throughput kept rising for about a minute in ThroughputDriver's runs.
        round(direct, failover, request, 16, warmUpSeconds * 1_000_000_000L, 0);
        System.out.printf("server=%s, %d rounds of %d s per thread count; ratio = failover calls/s ÷ direct calls/s%n",
                server, rounds, roundSeconds);
        for (int threads : threadCounts) {
            Round[] measured = new Round[rounds];
            Round[] control = new Round[rounds];
            for (int r = 0; r < rounds; r++) { // control and measurement alternate, so drift hits both alike
                measured[r] = round(direct, failover, request, threads, roundSeconds * 1_000_000_000L, r);
                control[r] = round(direct, direct, request, threads, roundSeconds * 1_000_000_000L, rounds + r);
            }
            report(threads, "failover vs direct", measured);
            report(threads, "A/A control (direct vs direct)", control);
        }
        loopback.close();
    }

    /** One round's totals per model: calls, their summed wall time, bytes the caller thread allocated, errors. */
    record Round(Totals reference, Totals other, int threads, RuntimeException firstError) {

        /** Throughput ratio, other ÷ reference = mean reference time per call ÷ mean other time per call. */
        double ratio() {
            return other.callsPerSecond(threads) / reference.callsPerSecond(threads);
        }
    }

    /** Calls of one model in one round, summed over its callers. */
    record Totals(long calls, long nanos, long allocatedBytes, long errors) {

        static final int SLOTS = 4;

        static Totals sum(long[][] perThread, int offset) {
            long[] sum = new long[SLOTS];
            for (long[] totals : perThread) {
                for (int k = 0; k < SLOTS; k++) {
                    sum[k] += totals[offset + k];
                }
            }
            return new Totals(sum[0], sum[1], sum[2], sum[3]);
        }

        /** What {@code threads} callers doing only these calls would complete per second. */
        double callsPerSecond(int threads) {
            return threads * calls / (nanos / 1e9);
        }

        double bytesPerCall() {
            return (double) allocatedBytes / Math.max(1, calls);
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * {@code threads} callers for {@code nanos}, each making pairs of one {@code reference} and one {@code other}
     * call in random order. (A fixed alternation aliases with anything that has a period of two calls: the A/A
     * control measured 1.009 and 0.991 depending only on which model went first.)
     */
    static Round round(ChatModel reference, ChatModel other, ChatRequest request, int threads, long nanos, long seed)
            throws InterruptedException {
        long[][] perThread = new long[threads][2 * Totals.SLOTS];
        AtomicReference<RuntimeException> firstError = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        long[] end = new long[1];
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] totals = perThread[t];
            SplittableRandom order = new SplittableRandom(seed * 1_000 + t);
            Thread caller = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long pairs = 0; System.nanoTime() < end[0] && pairs < MAX_PAIRS_PER_THREAD_AND_ROUND; pairs++) {
                    boolean referenceFirst = order.nextBoolean();
                    for (int k = 0; k < 2; k++) {
                        boolean isReference = referenceFirst == (k == 0);
                        int offset = isReference ? 0 : Totals.SLOTS;
                        long bytes = THREADS.getCurrentThreadAllocatedBytes();
                        long start = System.nanoTime();
                        try {
                            (isReference ? reference : other).chat(request);
                        } catch (RuntimeException e) {
                            totals[offset + 3]++;
                            firstError.compareAndSet(null, e);
                            continue;
                        }
                        totals[offset + 1] += System.nanoTime() - start;
                        totals[offset + 2] += THREADS.getCurrentThreadAllocatedBytes() - bytes;
                        totals[offset]++;
                    }
                }
            }, "caller-" + t);
            caller.setDaemon(true);
            callers.add(caller);
            caller.start();
        }
        end[0] = System.nanoTime() + nanos;
        go.countDown();
        for (Thread caller : callers) {
            caller.join();
        }
        return new Round(Totals.sum(perThread, 0), Totals.sum(perThread, Totals.SLOTS), threads, firstError.get());
    }

    private static void report(int threads, String what, Round[] rounds) {
        double[] ratios = Arrays.stream(rounds).mapToDouble(Round::ratio).sorted().toArray();
        double reference = ThroughputDriver.median(Arrays.stream(rounds).mapToDouble(r -> r.reference().callsPerSecond(threads)).toArray());
        double referenceBytes = ThroughputDriver.median(Arrays.stream(rounds).mapToDouble(r -> r.reference().bytesPerCall()).toArray());
        double otherBytes = ThroughputDriver.median(Arrays.stream(rounds).mapToDouble(r -> r.other().bytesPerCall()).toArray());
        long calls = Arrays.stream(rounds).mapToLong(r -> r.reference().calls() + r.other().calls()).sum();
        long referenceErrors = Arrays.stream(rounds).mapToLong(r -> r.reference().errors()).sum();
        long otherErrors = Arrays.stream(rounds).mapToLong(r -> r.other().errors()).sum();
        System.out.printf("threads=%2d %-31s median ratio=%.4f  min=%.4f max=%.4f  rounds=%s%n"
                        + "           reference %.0f calls/s; caller-thread bytes per call %.0f vs %.0f; calls=%d; errors %d vs %d%n",
                threads, what, ThroughputDriver.median(ratios), ratios[0], ratios[ratios.length - 1],
                Arrays.toString(Arrays.stream(ratios).map(r -> Math.round(r * 1000) / 1000.0).toArray()), reference,
                referenceBytes, otherBytes, calls, referenceErrors, otherErrors);
        Arrays.stream(rounds).map(Round::firstError).filter(java.util.Objects::nonNull).findFirst()
                .ifPresent(e -> System.out.println("           first error: " + e));
    }
}
