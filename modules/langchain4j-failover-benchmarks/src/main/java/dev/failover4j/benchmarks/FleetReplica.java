package dev.failover4j.benchmarks;

import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverTarget;
import dev.failover4j.OpenAiCompatibleTargetBuilder;
import dev.failover4j.redis.RedisTargetState;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One replica of an application, in a JVM of its own, for {@link FleetDriver}: a group over a primary and a backup,
 * in fleet mode when given {@code --redis}. Prints {@code ready} once built, warmed up on the backup alone and
 * sharing, waits for {@code go} on
 * stdin, runs its callers for {@code --seconds}, prints {@code result calls=.. errors=.. primary=..} and exits.
 *
 * <p>Options: {@code --name --primary URL --backup URL --callers N --seconds N} and optionally {@code --redis URI
 * --namespace NS --rpm N --window-ms N --breaker-ms N --warm-up N} (calls on the backup alone first, default 300).
 */
public final class FleetReplica {

    private FleetReplica() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String name = options.get("--name");
        int callers = Integer.parseInt(options.get("--callers"));
        long seconds = Long.parseLong(options.get("--seconds"));
        RedisTargetState fleet = null;
        if (options.containsKey("--redis")) {
            fleet = RedisTargetState.using(options.get("--redis")).namespace(options.getOrDefault("--namespace", "fleet"))
                    .budgetWindow(Duration.ofMillis(Long.parseLong(options.getOrDefault("--window-ms", "60000"))));
        }
        OpenAiCompatibleTargetBuilder primary = target("primary", options.get("--primary"), name);
        if (options.containsKey("--rpm")) {
            primary.requestsPerMinute(Integer.parseInt(options.get("--rpm")));
        }
        FailoverGroup.Builder builder = FailoverGroup.builder()
                .targets(primary.build(), target("backup", options.get("--backup"), name).build())
                .config(FailoverConfig.builder().breakerDelay(Duration.ofMillis(Long.parseLong(options.getOrDefault("--breaker-ms", "500"))))
                        .build());
        FailoverGroup group = (fleet == null ? builder : builder.targetStates(fleet)).build();
        warmUp(target("backup", options.get("--backup"), name).build(), name, Integer.parseInt(options.getOrDefault("--warm-up", "300")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (fleet != null && !fleet.isSharing() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"go".equals(in.readLine())) {
            return;
        }
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong byPrimary = new AtomicLong();
        CountDownLatch done = new CountDownLatch(callers);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ChatModel model = group.chatModel();
        for (int i = 0; i < callers; i++) {
            Thread caller = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        FailoverChatResponseMetadata served = (FailoverChatResponseMetadata) model.chat(UserMessage.from("hello from " + name)).metadata();
                        if ("primary".equals(served.targetName())) {
                            byPrimary.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    }
                    calls.incrementAndGet();
                }
                done.countDown();
            });
            caller.setDaemon(true);
            caller.start();
        }
        done.await(seconds + 120, TimeUnit.SECONDS);
        System.out.println("result calls=" + calls + " errors=" + errors + " primary=" + byPrimary);
        group.close();
        if (fleet != null) {
            fleet.close();
        }
        System.exit(0);
    }

    /** Loads and compiles the call path on a group of the backup alone, so that no phase measures a cold JVM. */
    private static void warmUp(FailoverTarget backup, String name, int calls) {
        try (FailoverGroup warm = FailoverGroup.builder().targets(backup).build()) {
            ChatModel model = warm.chatModel();
            for (int i = 0; i < calls; i++) {
                model.chat(UserMessage.from("hello from " + name));
            }
        }
    }

    private static OpenAiCompatibleTargetBuilder target(String name, String url, String replica) {
        return FailoverTarget.openAiCompatible(name).baseUrl(url).apiKey("sk-fleet-" + replica + "-0123456789abcdef")
                .modelName("gpt-4o-mini").contextWindowTokens(128_000);
    }
}
