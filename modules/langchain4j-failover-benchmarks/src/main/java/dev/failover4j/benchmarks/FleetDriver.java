package dev.failover4j.benchmarks;

import dev.failover4j.testkit.LocalRedisServer;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Fleet mode measured with replicas in separate JVMs ({@link FleetReplica}) on one local redis-server, a testkit
 * primary and backup in this JVM, 16 callers spread over the replicas:
 * <ol>
 *   <li><b>dead primary</b> (503 throughout, 500 ms breaker delay): the requests it receives from one replica alone
 *       (16 callers, no Redis), from N replicas without Redis, and from N replicas sharing Redis;</li>
 *   <li><b>budget</b>: 600 requests per scaled minute (a 4-s window by default) on the primary, N replicas: what the primary
 *       served in two whole windows, against 1,200;</li>
 *   <li><b>Redis down</b>: N replicas sharing Redis, which is killed a third into the run and restarted at two
 *       thirds: user-facing errors.</li>
 * </ol>
 * Needs Debian's {@code redis-server}. Run (from the repository root):
 * <pre>
 * mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests
 * java -cp modules/langchain4j-failover-benchmarks/target/benchmarks.jar dev.failover4j.benchmarks.FleetDriver 8 8 4000 300
 * </pre>
 * Arguments: replicas (default 8, a divisor of 16), seconds per phase (default 8), the budget's scaled minute in
 * milliseconds (default 4000: 150 requests a second, below what 16 callers ask), warm-up calls per replica JVM on the
 * backup alone before each phase (default 300), so that no phase measures a cold JVM. Results in {@code docs/BENCHMARKS.md}.
 */
public final class FleetDriver {

    private static final int CALLERS = 16;
    /** Requests per (scaled) minute on the primary in the budget phase, fleet-wide. */
    private static final int BUDGET = 600;

    /** Calls each replica JVM makes on the backup alone before a phase (JIT warm-up). */
    private static int warmUpCalls;

    private FleetDriver() {}

    public static void main(String[] args) throws Exception {
        int replicas = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        long budgetWindowMs = args.length > 2 ? Long.parseLong(args[2]) : 4_000;
        warmUpCalls = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        if (replicas < 1 || CALLERS % replicas != 0 || seconds < 1) {
            throw new IllegalArgumentException("replicas must divide " + CALLERS + " and seconds be positive but were " + replicas
                    + " and " + seconds);
        }
        try (LocalRedisServer redis = LocalRedisServer.start();
             ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").build().start();
             ChaosOpenAiServer backup = ChaosOpenAiServer.builder().name("backup").build().start()) {
            System.out.printf("fleet driver: %d replica JVMs, %d callers, %d s per phase, redis-server at %s%n", replicas, CALLERS,
                    seconds, redis.uri());
            // 1. dead primary
            primary.inject(Fault.httpStatus(503));
            Result alone = run(1, seconds, null, primary, backup, List.of());
            int byOne = primary.requestCount();
            primary.reset();
            primary.inject(Fault.httpStatus(503));
            Result unshared = run(replicas, seconds, null, primary, backup, List.of());
            int byUnshared = primary.requestCount();
            primary.reset();
            primary.inject(Fault.httpStatus(503));
            Result shared = run(replicas, seconds, redis.uri(), primary, backup, List.of());
            int byFleet = primary.requestCount();
            System.out.printf("dead primary: one replica alone %d requests; %d replicas without Redis %d; %d replicas sharing Redis "
                    + "%d = %.2f x one replica; user-facing errors %d / %d / %d of %d / %d / %d calls%n", byOne, replicas, byUnshared,
                    replicas, byFleet, (double) byFleet / byOne, alone.errors, unshared.errors, shared.errors, alone.calls,
                    unshared.calls, shared.calls);
            // 2. budget
            primary.reset();
            Fleet budgetRun = start(replicas, 3 * budgetWindowMs / 1000 + 2, redis.uri(), primary, backup,
                    List.of("--rpm", String.valueOf(BUDGET), "--window-ms", String.valueOf(budgetWindowMs), "--namespace", "budget"));
            budgetRun.go();
            long first = System.currentTimeMillis() / budgetWindowMs + 1;
            sleepUntil(first * budgetWindowMs);
            int atStart = primary.requestCount();
            sleepUntil((first + 2) * budgetWindowMs);
            int served = primary.requestCount() - atStart;
            Result budget = budgetRun.results();
            System.out.printf("budget %d per %d-ms window over %d replicas: the primary served %d in two windows (%.1f %% of %d); "
                    + "user-facing errors %d of %d calls%n", BUDGET, budgetWindowMs, replicas, served, 100.0 * served / (2 * BUDGET),
                    2 * BUDGET, budget.errors, budget.calls);
            // 3. Redis down mid-run
            primary.reset();
            Fleet downRun = start(replicas, 3L * seconds, redis.uri(), primary, backup, List.of("--namespace", "down"));
            downRun.go();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
            redis.kill();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
            redis.restart();
            Result down = downRun.results();
            System.out.printf("Redis killed for %d s mid-run, then restarted: user-facing errors %d of %d calls%n", seconds, down.errors,
                    down.calls);
        }
    }

    private static void sleepUntil(long epochMillis) {
        long left = epochMillis - System.currentTimeMillis();
        if (left > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(left));
        }
    }

    record Result(long calls, long errors, long byPrimary) {}

    private static Result run(int replicas, long seconds, String redis, ChaosOpenAiServer primary, ChaosOpenAiServer backup,
                              List<String> extra) throws IOException {
        Fleet fleet = start(replicas, seconds, redis, primary, backup, extra);
        fleet.go();
        return fleet.results();
    }

    private static Fleet start(int replicas, long seconds, String redis, ChaosOpenAiServer primary, ChaosOpenAiServer backup,
                               List<String> extra) throws IOException {
        Fleet fleet = new Fleet();
        for (int i = 0; i < replicas; i++) {
            List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), FleetReplica.class.getName(),
                    "--name", "r" + i, "--primary", primary.baseUrl(), "--backup", backup.baseUrl(),
                    "--callers", String.valueOf(CALLERS / replicas), "--seconds", String.valueOf(seconds),
                    "--warm-up", String.valueOf(warmUpCalls)));
            if (redis != null) {
                command.addAll(List.of("--redis", redis));
            }
            command.addAll(extra);
            fleet.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        }
        fleet.awaitReady();
        return fleet;
    }

    /** The replica JVMs of one phase. */
    private static final class Fleet {
        private final List<Process> processes = new ArrayList<>();
        private final List<BufferedReader> outs = new ArrayList<>();

        void add(Process process) {
            processes.add(process);
            outs.add(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
        }

        void awaitReady() throws IOException {
            for (BufferedReader out : outs) {
                String line = out.readLine();
                if (!"ready".equals(line)) {
                    throw new IOException("a replica JVM did not start: " + line);
                }
            }
        }

        void go() {
            for (Process process : processes) {
                PrintWriter in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
                in.println("go");
            }
        }

        Result results() throws IOException {
            long calls = 0;
            long errors = 0;
            long byPrimary = 0;
            for (int i = 0; i < processes.size(); i++) {
                String line = outs.get(i).readLine();
                if (line == null || !line.startsWith("result ")) {
                    throw new IOException("a replica JVM ended without a result: " + line);
                }
                for (String field : line.substring(7).split(" ")) {
                    String[] kv = field.split("=");
                    long value = Long.parseLong(kv[1]);
                    switch (kv[0]) {
                        case "calls" -> calls += value;
                        case "errors" -> errors += value;
                        case "primary" -> byPrimary += value;
                        default -> { }
                    }
                }
                try {
                    processes.get(i).waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Result(calls, errors, byPrimary);
        }
    }
}
