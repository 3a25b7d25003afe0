package dev.failover4j.benchmarks.soak;

import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverGroup;
import dev.failover4j.RoutingStrategy;
import dev.failover4j.StreamingOptions;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chaos soak: 64 callers (56 sync, 8 streaming) against three {@link SoakServers chaos servers} (in a
 * child JVM, so the samples show the client alone)
 * (outages, 429 storms with and without Retry-After, hangs, resets, malformed and empty bodies,
 * flapping, cut/stalled/errored streams) for a bounded time. Checks that every call either answers or
 * throws a typed ({@code LangChain4jException}) exception within the deadline plus a grace — none lost
 * —, and samples heap after GC, threads and open file descriptors to show they stay flat.
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests
 * java -Xmx512m [-Dsoak.serverHeap=6g] -cp modules/langchain4j-failover-benchmarks/target/benchmarks.jar dev.failover4j.benchmarks.soak.SoakDriver \
 *      [--duration 60s|5m|30m] [--threads 64] [--streaming 8] [--sample 10s] [--histogram 25] [--routing weighted]
 * </pre>
 * Exit status 0 when nothing was lost, late or untyped and the resources stayed flat; 1 otherwise.
 */
public final class SoakDriver {

    static final Duration DEADLINE = Duration.ofSeconds(6);
    static final Duration GRACE = Duration.ofSeconds(2);

    public static void main(String[] args) throws Exception {
        SoakOptions options = SoakOptions.parse(args);
        SoakOutcomes outcomes = new SoakOutcomes();
        List<ResourceSample> samples = new ArrayList<>();
        try (ServerProcess servers = new ServerProcess()) {
            FailoverConfig config = FailoverConfig.builder().attemptTimeout(Duration.ofSeconds(2)).deadline(DEADLINE)
                    .breakerDelay(Duration.ofSeconds(5)).build();
            FailoverGroup group = FailoverGroup.builder().targets(servers.targets(options.routing() != null)).config(config)
                    .routing(routing(options.routing())).build();
            ChatModel sync = group.chatModel();
            StreamingChatModel streaming = group.streamingChatModel(StreamingOptions.builder()
                    .firstTokenTimeout(Duration.ofSeconds(2)).idleTimeout(Duration.ofSeconds(1)).build());
            long start = System.nanoTime();
            AtomicLong end = new AtomicLong(start + options.duration().toNanos());
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < options.threads(); i++) {
                boolean streams = i < options.streaming();
                int id = i;
                Thread caller = new Thread(() -> {
                    for (long n = 0; System.nanoTime() < end.get(); n++) {
                        ChatRequest request = ChatRequest.builder()
                                .messages(UserMessage.from("caller " + id + " question " + n)).build();
                        boolean failed = streams ? !stream(streaming, request, outcomes) : !call(sync, request, outcomes);
                        if (failed && !options.pauseAfterError().isZero()) {
                            try {
                                Thread.sleep(options.pauseAfterError().toMillis());
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                }, "soak-caller-" + i);
                caller.setDaemon(true);
                callers.add(caller);
            }
            samples.add(ResourceSample.take(0, 0));
            System.out.println("baseline " + samples.get(0));
            callers.forEach(Thread::start);
            long nextSample = start + options.sample().toNanos();
            while (System.nanoTime() < end.get()) {
                Thread.sleep(100);
                if (!servers.alive()) {
                    System.out.println("the chaos-server JVM ended; see " + ServerProcess.ERRORS);
                    end.set(System.nanoTime()); // the run has failed: the report says so when it cannot get the servers' totals
                    break;
                }
                long now = System.nanoTime();
                if (now >= nextSample) {
                    ResourceSample sample = ResourceSample.take(TimeUnit.NANOSECONDS.toSeconds(now - start), outcomes.total());
                    samples.add(sample);
                    System.out.println(sample + " | " + outcomes.sinceLastLook() + " | open/limited: "
                            + unavailable(group));
                    nextSample += options.sample().toNanos();
                }
            }
            long joinBy = System.nanoTime() + DEADLINE.plus(GRACE).toNanos();
            for (Thread caller : callers) {
                caller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinBy - System.nanoTime())));
                if (caller.isAlive()) {
                    outcomes.lost.increment();
                    System.out.println("STUCK " + caller.getName() + " " + List.of(caller.getStackTrace()).subList(0,
                            Math.min(12, caller.getStackTrace().length)));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(3_000); // let timers and pools settle before the last look
            samples.add(ResourceSample.take(Math.round(seconds), outcomes.total()));
            System.out.println("after the run " + samples.get(samples.size() - 1));
            if (options.histogramLines() > 0) {
                System.out.println(histogram(options.histogramLines()));
            }
            boolean ok;
            try {
                ok = SoakReport.print(options, outcomes, samples, servers.stats(), seconds);
            } catch (java.io.IOException e) {
                System.out.println("  RESULT: FAIL: " + e.getMessage());
                ok = false;
            }
            System.exit(ok ? 0 : 1);
        }
    }

    /** @return whether the call answered */
    private static boolean call(ChatModel model, ChatRequest request, SoakOutcomes outcomes) {
        outcomes.syncCalls.increment();
        long start = System.nanoTime();
        Throwable error = null;
        try {
            ChatResponse response = model.chat(request);
            if (response.aiMessage().text() == null) {
                error = new IllegalStateException("answer without text");
            }
        } catch (RuntimeException e) {
            error = e;
        }
        outcomes.ended(error, System.nanoTime() - start, limitNanos());
        return error == null;
    }

    /** @return whether the stream completed */
    private static boolean stream(StreamingChatModel model, ChatRequest request, SoakOutcomes outcomes) {
        outcomes.streamingCalls.increment();
        long start = System.nanoTime();
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        try {
            model.chat(request, new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partialResponse) {}

                @Override
                public void onCompleteResponse(ChatResponse completeResponse) {
                    done.complete(null);
                }

                @Override
                public void onError(Throwable error) {
                    done.complete(error);
                }
            });
        } catch (RuntimeException e) {
            done.complete(e);
        }
        try {
            Throwable error = done.get(limitNanos(), TimeUnit.NANOSECONDS);
            outcomes.ended(error, System.nanoTime() - start, limitNanos());
            return error == null;
        } catch (TimeoutException e) {
            outcomes.lost.increment();
        } catch (Exception e) {
            outcomes.ended(e, System.nanoTime() - start, limitNanos());
        }
        return false;
    }

    private static String histogram(int lines) throws Exception {
        Object text = java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        return String.join("\n", List.of(String.valueOf(text).split("\n")).subList(0, lines + 3));
    }

    private static String unavailable(FailoverGroup group) {
        StringBuilder text = new StringBuilder();
        for (var target : group.health()) {
            text.append(target.available() ? "" : target.target());
        }
        return text.length() == 0 ? "-" : text.toString();
    }

    private static RoutingStrategy routing(String name) {
        return name == null ? RoutingStrategy.priority() : switch (name) {
            case "roundRobin" -> RoutingStrategy.roundRobin();
            case "weighted" -> RoutingStrategy.weighted();
            default -> RoutingStrategy.leastLatency();
        };
    }

    static long limitNanos() {
        return DEADLINE.plus(GRACE).toNanos();
    }
}
