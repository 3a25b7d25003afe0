package dev.failover4j.drill;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The drill's command-line options, parsed and validated.
 *
 * <pre>
 * --duration 60s   total length, scripted phases scale with it (accepts 90s, 1500ms, 2m); default 60s
 * --quick          shorthand for --duration 15s
 * --users 8        concurrent simulated users; default 8
 * --report DIR     where report.html goes; default target/drill-report (or -Dfailover.drill.report)
 * --routing R      priority (default: primary, then secondary, then budget) or least-latency (primary and
 *                  secondary share the first tier, the faster answering first; budget behind them)
 * --no-hedging     without hedged requests (on by default: a second attempt when the first is slower than p90)
 * --no-probes      without background probes (on by default: open breakers are checked every second)
 * --replicas N     replicas of the application (each its own group), users spread over them; default 1
 * --redis URI      fleet mode: the replicas share target state through Redis at URI ({@code local}: start one)
 * --help           prints {@link #USAGE}
 * </pre>
 *
 * @param duration  the whole drill, at least {@link #MIN_DURATION}
 * @param users     concurrent simulated users, 1 to {@link #MAX_USERS}
 * @param reportDir directory the HTML report is written to
 * @param help      whether {@code --help} was given (the drill then only prints usage)
 * @param leastLatency whether {@code --routing least-latency} was given
 * @param hedging   whether calls are hedged (not {@code --no-hedging})
 * @param probes    whether open breakers are probed in the background (not {@code --no-probes})
 * @param replicas  replicas of the application, 1 to {@link #MAX_REPLICAS}, each with its own group
 * @param redis     the Redis URI the replicas share state through ({@code local}: a redis-server the drill starts),
 *                  or null: each replica keeps its own state
 */
public record DrillOptions(Duration duration, int users, Path reportDir, boolean help, boolean leastLatency, boolean hedging,
                           boolean probes, int replicas, String redis) {

    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);
    public static final Duration QUICK_DURATION = Duration.ofSeconds(15);
    /** Shorter than this and the phases are too short for breakers to open and close. */
    public static final Duration MIN_DURATION = Duration.ofSeconds(5);
    public static final Duration MAX_DURATION = Duration.ofMinutes(30);
    public static final int DEFAULT_USERS = 8;
    public static final int MAX_USERS = 64;
    public static final int MAX_REPLICAS = 16;
    /** {@code --redis local}: the drill starts Debian's redis-server on a free loopback port. */
    public static final String LOCAL_REDIS = "local";
    /** System property holding the default report directory (set by the sample's pom for {@code exec:java}). */
    public static final String REPORT_DIR_PROPERTY = "failover.drill.report";

    public static final String USAGE = String.join("\n",
            "Usage: FailoverDrill [--duration 60s | --quick] [--users 8] [--report DIR] [--routing least-latency] [--no-hedging]"
                    + " [--no-probes] [--replicas N [--redis URI]]",
            "  --duration D   total length (e.g. 60s, 90s, 2m, 15000ms); phases scale with it. Default 60s, min 5s.",
            "  --quick        same as --duration 15s",
            "  --users N      concurrent simulated users, 1.." + MAX_USERS + ". Default " + DEFAULT_USERS + ".",
            "  --report DIR   directory for report.html. Default target/drill-report.",
            "  --routing R    priority (default) or least-latency: primary and secondary share a tier, the faster first.",
            "  --no-hedging   no hedged requests (default: a second attempt on the next target when the first is slow).",
            "  --no-probes    no background probes (default: open breakers checked every second, scaled).",
            "  --replicas N   replicas of the application (own group each), users spread over them, 1.." + MAX_REPLICAS + ". Default 1.",
            "  --redis URI    fleet mode: the replicas share what they learn through Redis (redis://host:6379, or 'local'",
            "                 to start Debian's redis-server). Without it, each replica keeps its own state.",
            "Real endpoints (optional): FAILOVER_<PRIMARY|SECONDARY|BUDGET>_BASE_URL, _API_KEY, _MODEL, _WINDOW, _PRICE.");

    public DrillOptions {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(reportDir, "reportDir");
        if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("--duration must be between " + format(MIN_DURATION) + " and "
                    + format(MAX_DURATION) + " but was " + format(duration));
        }
        if (users < 1 || users > MAX_USERS) {
            throw new IllegalArgumentException("--users must be between 1 and " + MAX_USERS + " but was " + users);
        }
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("--replicas must be between 1 and " + MAX_REPLICAS + " but was " + replicas);
        }
        if (replicas > users) {
            throw new IllegalArgumentException("--replicas (" + replicas + ") must not exceed --users (" + users + "): each replica needs a user");
        }
        if (redis != null && !redis.equals(LOCAL_REDIS) && !redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
            throw new IllegalArgumentException("--redis must be 'local' or a redis:// or rediss:// URI but was '"
                    + redis.replaceAll("//[^@/]*@", "//****@") + "'");
        }
    }

    /** The options without routing or fleet settings: priority routing, hedging and probes on, one replica, no Redis. */
    public DrillOptions(Duration duration, int users, Path reportDir, boolean help) {
        this(duration, users, reportDir, help, false, true, true, 1, null);
    }

    /** The defaults: 60 s, 8 users, the default report directory. */
    public static DrillOptions defaults() {
        return parse();
    }

    /**
     * @throws IllegalArgumentException naming the bad option and value
     */
    public static DrillOptions parse(String... args) {
        Duration duration = DEFAULT_DURATION;
        int users = DEFAULT_USERS;
        Path report = Path.of(System.getProperty(REPORT_DIR_PROPERTY, "target/drill-report"));
        boolean help = false;
        boolean leastLatency = false;
        boolean hedging = true;
        boolean probes = true;
        int replicas = 1;
        String redis = null;
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            switch (arg) {
                case "--duration" -> duration = parseDuration(valueOf(list, i++, arg));
                case "--quick" -> duration = QUICK_DURATION;
                case "--users" -> users = parseInt(valueOf(list, i++, arg), arg);
                case "--report" -> report = Path.of(valueOf(list, i++, arg));
                case "--routing" -> leastLatency = parseRouting(valueOf(list, i++, arg));
                case "--no-hedging" -> hedging = false;
                case "--no-probes" -> probes = false;
                case "--replicas" -> replicas = parseInt(valueOf(list, i++, arg), arg);
                case "--redis" -> redis = valueOf(list, i++, arg);
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new DrillOptions(duration, users, report, help, leastLatency, hedging, probes, replicas, redis);
    }

    private static boolean parseRouting(String text) {
        return switch (text.trim()) {
            case "priority" -> false;
            case "least-latency" -> true;
            default -> throw new IllegalArgumentException("--routing must be priority or least-latency but was '" + text + "'");
        };
    }

    /** @return {@code duration / 60 s}: how much shorter (below 1) or longer than the standard drill this one is */
    public double scale() {
        return duration.toMillis() / (double) DEFAULT_DURATION.toMillis();
    }

    /**
     * Parses {@code 60s}, {@code 1500ms}, {@code 2m} or a bare number of seconds.
     *
     * @throws IllegalArgumentException when it is none of those
     */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--duration must look like 60s, 1500ms or 2m but was '" + text + "'");
        }
    }

    private static int parseInt(String text, String option) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number but was '" + text + "'");
        }
    }

    private static String valueOf(List<String> args, int i, String option) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i + 1);
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
