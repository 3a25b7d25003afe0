package dev.failover4j.benchmarks;

import dev.failover4j.testkit.LocalRedisServer;
import dev.failover4j.redis.RedisTargetState;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The healthy path with fleet mode on versus off, interleaved in one JVM so that a busy machine's drift hits both
 * alike (what {@link FleetOverheadBenchmark} cannot resolve at a 2 % goal on a shared 2-core machine): each round runs
 * a batch of calls on each of three groups of one in-memory target — in memory (A), in memory again (A', the A/A
 * control), Redis sharing on (B) — in a rotating order, and the driver prints the median over rounds of B/A and of
 * A'/A. The spread of A'/A is what the method resolves here.
 *
 * <pre>
 * java -cp modules/langchain4j-failover-benchmarks/target/benchmarks.jar dev.failover4j.benchmarks.FleetOverheadDriver 41 20000
 * </pre>
 * Arguments: rounds (default 41), calls per batch (default 20,000). Needs Debian's {@code redis-server}.
 */
public final class FleetOverheadDriver {

    private FleetOverheadDriver() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 41;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hello")).build();
        try (LocalRedisServer redis = LocalRedisServer.start();
             RedisTargetState fleet = RedisTargetState.using(redis.uri()).namespace("overhead")) {
            var a = FleetOverheadBenchmarkGroups.group(null, false);
            var control = FleetOverheadBenchmarkGroups.group(null, false);
            var b = FleetOverheadBenchmarkGroups.group(fleet, false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!fleet.isSharing() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            ChatModel[] models = {a.chatModel(), control.chatModel(), b.chatModel()};
            for (int i = 0; i < 5; i++) { // warm-up: C2 for all three
                for (ChatModel model : models) {
                    time(model, request, batch);
                }
            }
            double[] fleetRatio = new double[rounds];
            double[] controlRatio = new double[rounds];
            double[] perCallA = new double[rounds];
            double[] perCallB = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long[] nanos = new long[3];
                for (int k = 0; k < 3; k++) {
                    int which = (r + k) % 3; // rotate who goes first
                    nanos[which] = time(models[which], request, batch);
                }
                fleetRatio[r] = (double) nanos[2] / nanos[0];
                controlRatio[r] = (double) nanos[1] / nanos[0];
                perCallA[r] = (double) nanos[0] / batch;
                perCallB[r] = (double) nanos[2] / batch;
            }
            System.out.printf(Locale.ROOT, "healthy path, %d rounds of %d calls: in memory %.0f ns/call, Redis sharing %.0f ns/call (medians); "
                    + "median ratio Redis/in-memory=%.4f (rounds %.3f..%.3f); A/A control median=%.4f (rounds %.3f..%.3f); sharing=%s%n",
                    rounds, batch, median(perCallA), median(perCallB), median(fleetRatio), min(fleetRatio), max(fleetRatio),
                    median(controlRatio), min(controlRatio), max(controlRatio), fleet.isSharing());
            a.close();
            control.close();
            b.close();
        }
    }

    private static long time(ChatModel model, ChatRequest request, int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            if (model.chat(request) == null) {
                throw new IllegalStateException("no answer");
            }
        }
        return System.nanoTime() - start;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
