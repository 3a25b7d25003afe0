package dev.failover4j.drill;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverGroup;
import dev.failover4j.Hedging;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.failover4j.Probes;
import dev.failover4j.RoutingStrategy;
import dev.failover4j.FailoverConfig;
import dev.failover4j.testkit.RecordedChatRequest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The failover drill: three OpenAI-compatible providers (simulated by {@code ChaosOpenAiServer}s, or
 * real endpoints behind {@code ChaosProxy}s), one {@link FailoverChatLanguageModel} in front of them,
 * simulated users chatting through it, and a script of faults — healthy, primary outage, 429 storm,
 * primary hang, recovery. Prints a live progress line, then a per-phase table, and writes an HTML
 * report with charts.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl samples/failover-drill exec:java}
 * (add {@code -Dexec.args="--quick"} for a 15 s drill; see {@link DrillOptions#USAGE}). With {@code --replicas N} the
 * users are spread over N replicas of the application, each its own group; with {@code --redis URI} (or
 * {@code local}) they share target state through Redis (fleet mode), which the outage's {@code reqs→primary} shows.
 */
public final class FailoverDrill {

    private static final long SEED = 42;

    private final DrillOptions options;
    private final Map<String, String> env;
    private final PrintStream out;
    private final boolean terminal;

    /**
     * @param env      environment variables (real endpoints, see {@link ProviderSpec#fromEnvironment})
     * @param terminal whether {@code out} is a terminal (the progress line is then rewritten in place)
     */
    public FailoverDrill(DrillOptions options, Map<String, String> env, PrintStream out, boolean terminal) {
        this.options = options;
        this.env = Map.copyOf(env);
        this.out = out;
        this.terminal = terminal;
    }

    public static void main(String[] args) throws InterruptedException {
        DrillOptions options;
        try {
            options = DrillOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("failover-drill: " + e.getMessage());
            System.err.println(DrillOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(DrillOptions.USAGE);
            return;
        }
        DrillResult result = new FailoverDrill(options, System.getenv(), System.out, System.console() != null).run();
        if (result.stats().errors() > 0) {
            System.exit(1);
        }
    }

    /**
     * Runs the whole drill; returns when every user stopped and every endpoint is closed.
     *
     * @throws IllegalArgumentException when the environment configures an invalid endpoint
     * @throws java.io.UncheckedIOException when the report cannot be written
     */
    public DrillResult run() throws InterruptedException {
        List<ProviderSpec> specs = ProviderSpec.fromEnvironment(env);
        DrillTiming timing = DrillTiming.scaledTo(options);
        DrillTimeline timeline = new DrillTimeline(options.duration());
        out.printf(Locale.ROOT, "Failover drill: %d users, %s, phases %s%n", options.users(),
                DrillOptions.format(options.duration()), phaseList(timeline));
        specs.forEach(spec -> out.println("  " + spec));
        out.println(options.leastLatency() ? "  routing: least-latency (primary and secondary share the first tier; budget behind)"
                : "  routing: priority (primary, then secondary, then budget)");
        out.println("  hedging: " + (options.hedging() ? "after the target's p90, at most 50 % extra attempts" : "off")
                + "; probes: " + (options.probes() ? "open breakers every " + millis(timing.probeInterval()) : "off"));
        out.printf(Locale.ROOT, "  breakers stay open %s here (library default %ds) so recovery shows; attempt timeout %s,"
                        + " deadline %s per call%n", millis(timing.breakerDelay()), FailoverConfig.DEFAULT_BREAKER_DELAY.toSeconds(),
                millis(timing.attemptTimeout()), millis(timing.deadline()));
        if (specs.stream().anyMatch(s -> !s.isSimulated())) {
            out.println("  real endpoints are billed: every simulated user makes several calls per second");
        }

        DrillClock clock = new DrillClock();
        EventCounter events = new EventCounter(clock::elapsedMillis);
        FailoverConfig config = FailoverConfig.builder()
                .breakerDelay(timing.breakerDelay())
                .attemptTimeout(timing.attemptTimeout())
                .deadline(timing.deadline())
                .build();
        try (Providers providers = Providers.start(specs, SEED, options.leastLatency());
             DrillFleet fleet = DrillFleet.start(options, providers.targets(), config, events, group -> configure(group, timing))) {
            if (fleet.description() != null) {
                out.println("  " + fleet.description() + (fleet.sharing() ? "" : " — not connected yet: replicas start with their own state"));
            }
            warmUp(providers, fleet);
            clock.restart();
            DrillStats stats = new DrillStats(providers.names());
            drive(providers, fleet, clock, stats, timeline, timing);

            DrillReport report = new DrillReport(stats, timeline, events, timing, options, specs);
            report.print(out);
            Path html = report.writeHtml(options.reportDir());
            out.println("Report: " + html.toAbsolutePath().toUri());
            return new DrillResult(stats, events, timeline, timing, html, largestRequests(providers));
        }
    }

    /**
     * The settings of each replica's group beyond its targets and config. Hedging: a second attempt on the next target
     * once the first has taken longer than the target's p90, at most 50 % extra load: the drill's faults fill most of
     * its time and its hang needs a hedge per call (the library's default, 10 %, would leave most of the hang to the
     * attempt timeout and the breaker).
     */
    private FailoverGroup.Builder configure(FailoverGroup.Builder group, DrillTiming timing) {
        group.routing(options.leastLatency() ? RoutingStrategy.leastLatency() : RoutingStrategy.priority());
        if (options.hedging()) {
            // the ceiling (the delay until a target has answered 20 times) below the attempt timeout, or a hang that
            // starts before then would not be hedged at all
            group.hedging(Hedging.atPercentile(0.9).ceiling(timing.attemptTimeout().dividedBy(2)).maxExtraLoad(0.5));
        }
        if (options.probes()) {
            group.probes(Probes.every(timing.probeInterval()));
        }
        return group;
    }

    /** Starts the users and the progress line, walks the phases, and stops everything at the end. */
    private void drive(Providers providers, DrillFleet fleet, DrillClock clock, DrillStats stats,
            DrillTimeline timeline, DrillTiming timing) throws InterruptedException {
        DrillScript script = new DrillScript(providers, timing);
        ProgressLine progress = new ProgressLine(out, terminal, stats, clock, timeline.totalMillis(), fleet.first()::health);
        ExecutorService users = Executors.newFixedThreadPool(options.users(), named("drill-user"));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(named("drill-progress"));
        Map<DrillPhase, Map<String, Integer>> countsAtStart = new EnumMap<>(DrillPhase.class);
        try {
            script.enter(DrillPhase.HEALTHY);
            countsAtStart.put(DrillPhase.HEALTHY, requestCounts(providers));
            for (int i = 0; i < options.users(); i++) {
                users.execute(new SimulatedUser(i, fleet.forUser(i), clock, timeline.totalMillis(), stats));
            }
            ticker.scheduleAtFixedRate(progress::tick, 1, 1, TimeUnit.SECONDS);
            for (DrillPhase phase : DrillPhase.values()) {
                sleepUntil(clock, timeline.startMillis(phase));
                if (phase != DrillPhase.HEALTHY) {
                    countsAtStart.put(phase, requestCounts(providers));
                    script.enter(phase);
                    clock.enter(phase);
                }
            }
            sleepUntil(clock, timeline.totalMillis());
            users.shutdown();
            // Calls that started before the end finish within their deadline; interrupt only stragglers.
            if (!users.awaitTermination(timing.deadline().toMillis() + 2_000, TimeUnit.MILLISECONDS)) {
                users.shutdownNow();
            }
        } finally {
            users.shutdownNow();
            ticker.shutdownNow();
            users.awaitTermination(5, TimeUnit.SECONDS);
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            script.clear();
        }
        progress.tick();
        progress.finish();
        recordProviderRequests(providers, stats, countsAtStart);
    }

    /**
     * Loads the tokenizer, opens a connection to each provider and warms the JIT with chat calls straight to its
     * model (not through the group: its latency statistics and breakers start clean), before the clock starts, so
     * that the healthy phase's latency is not the JVM's warm-up — least-latency routing would otherwise start from
     * a cold first call; then checks each provider with the group's probe and forgets those requests. Nothing a
     * provider answers is printed (keys could be echoed); a real endpoint gets one call, a simulated one five.
     */
    private void warmUp(Providers providers, DrillFleet fleet) {
        ChatRequest ping = ChatRequest.builder().messages(UserMessage.from("warm up")).maxOutputTokens(1).build();
        for (Providers.Provider provider : providers.all()) {
            provider.target().tokenizer().countText("warm up");
            int calls = provider.spec().isSimulated() ? 5 : 1;
            try {
                for (int i = 0; i < calls; i++) {
                    provider.target().chatModel().chat(ping);
                }
            } catch (RuntimeException e) {
                out.println("  warning: " + provider.name() + " did not answer a warm-up call (" + e.getClass().getSimpleName() + ")");
            }
            if (!fleet.first().probe(provider.name())) {
                out.println("  warning: " + provider.name() + " did not answer a warm-up probe");
            }
            fleet.groups().forEach(group -> group.resetHealth(provider.name()));
            provider.endpoint().reset();
        }
    }

    private static void recordProviderRequests(Providers providers, DrillStats stats,
            Map<DrillPhase, Map<String, Integer>> countsAtStart) {
        Map<String, Integer> atEnd = requestCounts(providers);
        DrillPhase[] phases = DrillPhase.values();
        for (int i = 0; i < phases.length; i++) {
            Map<String, Integer> from = countsAtStart.get(phases[i]);
            Map<String, Integer> to = i + 1 < phases.length ? countsAtStart.get(phases[i + 1]) : atEnd;
            for (String name : providers.names()) {
                stats.recordProviderRequests(phases[i], name, to.get(name) - from.get(name));
            }
        }
    }

    private static Map<String, Integer> requestCounts(Providers providers) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        providers.all().forEach(p -> counts.put(p.name(), p.endpoint().requestCount()));
        return counts;
    }

    private static Map<String, Integer> largestRequests(Providers providers) {
        Map<String, Integer> largest = new HashMap<>();
        for (Providers.Provider p : providers.all()) {
            largest.put(p.name(), p.endpoint().requests().stream()
                    .filter(RecordedChatRequest::isChatCompletion)
                    .mapToInt(r -> r.promptTokens() + r.maxTokens().orElse(0))
                    .max().orElse(0));
        }
        return largest;
    }

    private static void sleepUntil(DrillClock clock, long elapsedMillis) throws InterruptedException {
        long wait = elapsedMillis - clock.elapsedMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static String phaseList(DrillTimeline timeline) {
        StringBuilder text = new StringBuilder();
        for (DrillPhase phase : DrillPhase.values()) {
            text.append(text.length() == 0 ? "" : " → ").append(phase.label()).append(' ')
                    .append(millis(Duration.ofMillis(timeline.lengthMillis(phase))));
        }
        return text.toString();
    }

    static String millis(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
