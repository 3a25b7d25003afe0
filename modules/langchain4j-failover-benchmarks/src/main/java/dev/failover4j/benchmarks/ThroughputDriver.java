package dev.failover4j.benchmarks;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverTarget;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * Throughput (calls per second) at 1, 16 and 64 caller threads against a loopback server, the
 * failover model (1 target) against the same {@code OpenAiChatModel} directly. For each thread count
 * the two alternate in short phases (direct, failover, failover, direct, ...) so drifting machine load
 * hits both alike; reported are the ratio of the median phase throughputs and the median of the
 * per-round ratios (each failover phase against the direct phase next to it). Bounded: {@code
 * rounds} × 2 phases of {@code phaseSeconds} per thread count, and at most {@code maxCallsPerPhase}.
 *
 * <p>On a 2-core machine phases a few seconds apart scatter by ± 5 % at 16 and 64 callers; {@link
 * InterleavedThroughputDriver} interleaves both paths inside one load and resolves ± 0.5 %.
 *
 * <p>Run: {@code mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests &&
 * java -cp modules/langchain4j-failover-benchmarks/target/benchmarks.jar dev.failover4j.benchmarks.ThroughputDriver [raw|mockwebserver|http://127.0.0.1:PORT/v1] [phaseSeconds=3] [rounds=4] [threadCounts=1,16,64]}
 */
public final class ThroughputDriver {

    private static final int MAX_CALLS_PER_PHASE = 2_000_000;

    public static void main(String[] args) throws InterruptedException {
        String server = args.length > 0 ? args[0] : "raw";
        int phaseSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int[] threadCounts = threadCounts(args, 3);
        LoopbackTarget loopback = LoopbackTarget.open(server);
        FailoverTarget target = loopback.target();
        ChatModel direct = target.chatModel();
        ChatModel failover = FailoverChatLanguageModel.builder().targets(target).build();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hello")).build();
        // Warm-up, both paths, 60 s: with 16 callers on 2 cores the JIT's compiler threads get little CPU, and
        // throughput kept rising for about a minute (3,500 -> 12,000 calls/s in one run with a 20 s warm-up).
        for (int i = 0; i < 5; i++) {
            phase(direct, request, 16, 6);
            phase(failover, request, 16, 6);
        }
        for (int threads : threadCounts) {
            double[] d = new double[rounds];
            double[] f = new double[rounds];
            double[] dCpu = new double[rounds];
            double[] fCpu = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    boolean isDirect = ((r & 1) == 0) == (k == 0);
                    Phase phase = phase(isDirect ? direct : failover, request, threads, phaseSeconds);
                    (isDirect ? d : f)[r] = phase.callsPerSecond();
                    (isDirect ? dCpu : fCpu)[r] = phase.cpuMicrosPerCall();
                }
            }
            double dm = median(d), fm = median(f);
            double[] paired = new double[rounds];
            double[] pairedCpu = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                paired[r] = f[r] / d[r]; // adjacent phases: the drift of the machine cancels out
                pairedCpu[r] = dCpu[r] / fCpu[r];
            }
            System.out.printf("server=%s threads=%d direct median=%.0f calls/s %s | failover median=%.0f calls/s %s | "
                    + "ratio of medians=%.3f | median of paired ratios=%.3f | process CPU per call direct=%.1f us "
                    + "failover=%.1f us, median of paired direct/failover=%.3f%n", server, threads, dm, Arrays.toString(round(d)),
                    fm, Arrays.toString(round(f)), fm / dm, median(paired), median(dCpu), median(fCpu), median(pairedCpu));
        }
        loopback.close();
    }

    /** The single target the throughput drivers call, on a server this process started or one given by URL. */
    record LoopbackTarget(FailoverTarget target, AutoCloseable server) {

        /** @param server {@code raw}, {@code mockwebserver}, or the {@code http://127.0.0.1:PORT/v1} of a separate {@link RawOpenAi} */
        static LoopbackTarget open(String server) {
            if (server.startsWith("http://127.0.0.1:")) {
                return new LoopbackTarget(HealthyPathLatencyDriver.target("primary", server), () -> { });
            }
            if (server.equals("raw")) {
                RawOpenAi raw = new RawOpenAi();
                return new LoopbackTarget(HealthyPathLatencyDriver.target("primary", raw.baseUrl()), raw);
            }
            if (server.equals("mockwebserver")) {
                LoopbackOpenAi mock = new LoopbackOpenAi();
                return new LoopbackTarget(OutageDriver.target("primary", mock), mock);
            }
            throw new IllegalArgumentException("server must be raw, mockwebserver or http://127.0.0.1:PORT/v1, was: " + server);
        }

        void close() {
            try {
                server.close();
            } catch (Exception e) {
                // done anyway
            }
        }
    }

    /** @return the comma-separated thread counts in {@code args[index]}, by default 1, 16 and 64 */
    static int[] threadCounts(String[] args, int index) {
        return Arrays.stream((args.length > index ? args[index] : "1,16,64").split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** What one phase achieved: calls per second, and CPU time of the whole process (callers, HTTP client, server) per call. */
    record Phase(double callsPerSecond, double cpuMicrosPerCall) {}

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** @return calls per second completed by {@code threads} callers in {@code seconds}, and CPU per call */
    static Phase phase(ChatModel model, ChatRequest request, int threads, int seconds) throws InterruptedException {
        LongAdder done = new LongAdder();
        LongAdder errors = new LongAdder();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        long[] end = new long[1];
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread caller = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (System.nanoTime() < end[0] && done.sum() < MAX_CALLS_PER_PHASE) {
                    try {
                        model.chat(request);
                        done.increment();
                    } catch (RuntimeException e) {
                        errors.increment();
                        firstError.compareAndSet(null, e);
                    }
                }
            });
            caller.setDaemon(true);
            callers.add(caller);
            caller.start();
        }
        long cpuStart = OS.getProcessCpuTime();
        long start = System.nanoTime();
        end[0] = start + seconds * 1_000_000_000L;
        go.countDown();
        for (Thread caller : callers) {
            caller.join();
        }
        if (errors.sum() > 0) {
            System.out.println("  errors in phase (" + model.getClass().getSimpleName() + "): " + errors.sum()
                    + ", first: " + firstError.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpuNanos = OS.getProcessCpuTime() - cpuStart;
        return new Phase(done.sum() / elapsed, cpuNanos / 1e3 / Math.max(1, done.sum()));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static long[] round(double[] values) {
        return Arrays.stream(values).mapToLong(Math::round).toArray();
    }
}
