package dev.failover4j.benchmarks.soak;

import java.time.Duration;
import java.util.Locale;

/** Command-line flags of {@link SoakDriver}: {@code --duration 30m --threads 64 --streaming 8 --sample 10s --histogram 25
 * --pause-after-error 100ms --routing weighted}
 * (histogram prints the top lines of a live-object class histogram at the end, to see what holds the heap; a caller
 * waits pause-after-error, 0ms to 1h, after a failed call, as a user would before asking again; routing, when given —
 * roundRobin, weighted or leastLatency — puts b and c in one tier behind a, routed by that strategy). */
record SoakOptions(Duration duration, int threads, int streaming, Duration sample, int histogramLines,
                   Duration pauseAfterError, String routing) {

    static SoakOptions parse(String[] args) {
        Duration duration = Duration.ofSeconds(60);
        int threads = 64;
        int streaming = 8;
        Duration sample = null;
        int histogram = 0;
        Duration pause = Duration.ofMillis(100);
        String routing = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--duration" -> duration = duration(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--streaming" -> streaming = Integer.parseInt(args[i + 1]);
                case "--sample" -> sample = duration(args[i + 1]);
                case "--histogram" -> histogram = Integer.parseInt(args[i + 1]);
                case "--pause-after-error" -> pause = duration(args[i + 1]);
                case "--routing" -> routing = routing(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (sample == null) {
            sample = duration.compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofSeconds(60) : Duration.ofSeconds(10);
        }
        return new SoakOptions(duration, threads, Math.min(streaming, threads), sample, histogram, pause, routing);
    }

    private static String routing(String name) {
        if (!java.util.List.of("roundRobin", "weighted", "leastLatency").contains(name)) {
            throw new IllegalArgumentException("--routing is roundRobin, weighted or leastLatency, not " + name);
        }
        return name;
    }

    /** {@code 90s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT30M}). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt")) {
            return Duration.parse(text);
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("duration like 60s, 5m or 1h, not " + text);
        };
    }
}
