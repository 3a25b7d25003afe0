package dev.failover4j.benchmarks;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverTarget;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.FaultSchedule;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.router.FailoverStrategy;
import dev.langchain4j.model.router.ModelRouter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The same fault schedule through {@code FailoverChatLanguageModel} and through the Java precedent,
 * {@code langchain4j-community-model-router} ({@code ModelRouter} + {@code FailoverStrategy}, 1-minute
 * cooldown), side by side in one run. Each system gets its own primary/secondary pair of chaos servers
 * (same seeds) and one paced caller (a call every {@code paceMillis}); they run at the same time.
 * Schedule of the primary: flaky but healthy (10 % 503s) for {@code flakySeconds}, a hard outage (503 to
 * everything) for {@code outageSeconds}, then recovered for {@code recoverySeconds}; the secondary is
 * healthy throughout. The router runs twice: with {@code OpenAiChatModel}'s own default retries
 * ({@code maxRetries} 2) and with {@code maxRetries(0)}.
 *
 * <p>Reports per phase: user-facing errors, requests that reached the primary while it was dead, and
 * the share of calls the flaky-but-healthy primary kept.
 *
 * <p>Run: {@code mvn -B -q -pl modules/langchain4j-failover-benchmarks -am package -DskipTests &&
 * java -cp modules/langchain4j-failover-benchmarks/target/benchmarks.jar dev.failover4j.benchmarks.RouterComparisonDriver [flakySeconds=90] [outageSeconds=30] [recoverySeconds=90] [paceMillis=50]}
 */
public final class RouterComparisonDriver {

    public static void main(String[] args) throws InterruptedException {
        int flaky = args.length > 0 ? Integer.parseInt(args[0]) : 90;
        int outage = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int recovery = args.length > 2 ? Integer.parseInt(args[2]) : 90;
        int pace = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        Phases phases = new Phases(flaky, outage, recovery);
        List<Contender> contenders = List.of(
                new Contender("failover4j FailoverChatLanguageModel (defaults)", phases, RouterComparisonDriver::failover),
                new Contender("model-router FailoverStrategy, OpenAiChatModel maxRetries=2 (its default)", phases,
                        pair -> router(pair, 2)),
                new Contender("model-router FailoverStrategy, OpenAiChatModel maxRetries=0", phases,
                        pair -> router(pair, 0)));
        List<Thread> threads = new ArrayList<>();
        for (Contender contender : contenders) {
            Thread thread = new Thread(() -> contender.run(pace), contender.name);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.printf("schedule: primary flaky (10 %% 503) %d s, hard outage %d s, recovered %d s; one call every %d ms%n",
                flaky, outage, recovery, pace);
        contenders.forEach(Contender::print);
    }

    static ChatModel failover(Servers pair) {
        return FailoverChatLanguageModel.builder().targets(target("primary", pair.primary), target("secondary", pair.secondary))
                .build();
    }

    static ChatModel router(Servers pair, int maxRetries) {
        return ModelRouter.builder()
                .addRoutes(openAi(pair.primary, maxRetries), openAi(pair.secondary, maxRetries))
                .routingStrategy(new FailoverStrategy())
                .build();
    }

    private static FailoverTarget target(String name, ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(name).baseUrl(server.baseUrl()).apiKey("sk-compare-" + name + "-0000")
                .modelName("gpt-4o-mini").contextWindowTokens(128_000).build();
    }

    private static ChatModel openAi(ChaosOpenAiServer server, int maxRetries) {
        return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-compare-0000").modelName("gpt-4o-mini")
                .maxRetries(maxRetries).build();
    }

    /** Phase boundaries, in seconds from the start. */
    record Phases(int flaky, int outage, int recovery) {
        int of(double second) {
            return second < flaky ? 0 : second < flaky + outage ? 1 : 2;
        }

        int total() {
            return flaky + outage + recovery;
        }
    }

    record Servers(ChaosOpenAiServer primary, ChaosOpenAiServer secondary) {}

    /** One system under test with its own servers and per-phase tallies. */
    static final class Contender {
        private static final String[] PHASE_NAMES = {"flaky", "outage", "recovered"};
        final String name;
        private final Phases phases;
        private final Function<Servers, ChatModel> factory;
        private final long[] calls = new long[3];
        private final long[] errors = new long[3];
        private final long[] untypedErrors = new long[3];
        private final long[] byPrimary = new long[3];
        private final long[] primaryRequests = new long[3];
        private final long[] primaryFaults = new long[3];

        Contender(String name, Phases phases, Function<Servers, ChatModel> factory) {
            this.name = name;
            this.phases = phases;
            this.factory = factory;
        }

        void run(int paceMillis) {
            try (ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").randomSeed(7).build().start();
                 ChaosOpenAiServer secondary = ChaosOpenAiServer.builder().name("secondary").randomSeed(8).build().start()) {
                ChatModel model = factory.apply(new Servers(primary, secondary));
                primary.reset(); // restarts the schedule clock, so its phases and ours start together
                primary.schedule(FaultSchedule.builder().from(Duration.ZERO).lasting(Duration.ofSeconds(phases.flaky()))
                        .fault(Fault.httpStatus(503).withProbability(0.10)).build());
                primary.schedule(FaultSchedule.builder().from(Duration.ofSeconds(phases.flaky()))
                        .lasting(Duration.ofSeconds(phases.outage())).fault(Fault.httpStatus(503)).build());
                long start = System.nanoTime();
                int phase = 0;
                long requestsAtPhaseStart = 0;
                long faultsAtPhaseStart = 0;
                for (long n = 0; ; n++) {
                    double second = (System.nanoTime() - start) / 1e9;
                    if (second >= phases.total()) {
                        break;
                    }
                    int now = phases.of(second);
                    if (now != phase) {
                        primaryRequests[phase] = primary.stats().requests() - requestsAtPhaseStart;
                        primaryFaults[phase] = primary.stats().totalFaults() - faultsAtPhaseStart;
                        requestsAtPhaseStart = primary.stats().requests();
                        faultsAtPhaseStart = primary.stats().totalFaults();
                        phase = now;
                    }
                    calls[phase]++;
                    try {
                        ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("q" + n)).build());
                        if (response.aiMessage().text().startsWith("[primary]")) {
                            byPrimary[phase]++;
                        }
                    } catch (RuntimeException e) {
                        errors[phase]++;
                        if (!(e instanceof LangChain4jException)) {
                            untypedErrors[phase]++;
                        }
                    }
                    long next = start + (n + 1) * paceMillis * 1_000_000L;
                    long sleep = (next - System.nanoTime()) / 1_000_000L;
                    if (sleep > 0) {
                        Thread.sleep(sleep);
                    }
                }
                primaryRequests[phase] = primary.stats().requests() - requestsAtPhaseStart;
                primaryFaults[phase] = primary.stats().totalFaults() - faultsAtPhaseStart;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void print() {
            System.out.println(name);
            for (int p = 0; p < 3; p++) {
                System.out.printf("  %-9s calls=%5d user-facing errors=%4d (untyped %d) served by primary=%5d (%.1f %%) "
                                + "requests to primary=%5d (of which faulted %d)%n",
                        PHASE_NAMES[p], calls[p], errors[p], untypedErrors[p], byPrimary[p],
                        100.0 * byPrimary[p] / Math.max(1, calls[p]), primaryRequests[p], primaryFaults[p]);
            }
        }
    }

    private RouterComparisonDriver() {}
}
