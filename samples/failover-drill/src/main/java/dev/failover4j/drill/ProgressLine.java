package dev.failover4j.drill;

import dev.failover4j.CircuitState;
import dev.failover4j.health.TargetHealthSnapshot;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The live status line, printed once per second: phase, elapsed time, requests per second, the
 * share each target served in the last second, each target's breaker, and user-facing errors so far.
 * On a terminal the line is rewritten in place (carriage return); otherwise (CI, pipes) one line per
 * tick is printed. Call {@link #tick()} from one thread.
 */
public final class ProgressLine {

    private final PrintStream out;
    private final boolean inPlace;
    private final DrillStats stats;
    private final DrillClock clock;
    private final long totalMillis;
    private final Supplier<List<TargetHealthSnapshot>> health;
    private int lastLength;

    /**
     * @param inPlace whether to rewrite one line with {@code \r} (when stdout is a terminal)
     * @param health  the failover model's {@code health()}
     */
    public ProgressLine(PrintStream out, boolean inPlace, DrillStats stats, DrillClock clock, long totalMillis,
            Supplier<List<TargetHealthSnapshot>> health) {
        this.out = out;
        this.inPlace = inPlace;
        this.stats = stats;
        this.clock = clock;
        this.totalMillis = totalMillis;
        this.health = health;
    }

    /** Prints the current status. */
    public void tick() {
        long now = clock.elapsedMillis();
        String line = render(clock.phase(), now, totalMillis, stats.endedBetween(now - 1_000, now), stats.errors(),
                stats.targets(), health.get());
        if (inPlace) {
            int pad = Math.max(0, lastLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLength = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the in-place line so that what follows starts on a fresh line. */
    public void finish() {
        if (inPlace && lastLength > 0) {
            out.println();
        }
        out.flush();
    }

    /** @return e.g. {@code [ 23s/60s] 429 storm | 18 req/s | primary 0% secondary 61% budget 39% | breakers ... | errors 0} */
    static String render(DrillPhase phase, long elapsedMillis, long totalMillis, CallSummary lastSecond, long errors,
            List<String> targets, List<TargetHealthSnapshot> health) {
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "[%3ds/%ds] %-9s | %3d req/s |", elapsedMillis / 1000, totalMillis / 1000,
                phase.label(), lastSecond.calls()));
        for (String target : targets) {
            line.append(String.format(Locale.ROOT, " %s %3.0f%%", target, 100 * lastSecond.share(target)));
        }
        line.append(" | breakers");
        for (TargetHealthSnapshot snapshot : health) {
            line.append(' ').append(snapshot.target()).append(' ').append(state(snapshot));
        }
        return line.append(" | errors ").append(errors).toString();
    }

    private static String state(TargetHealthSnapshot snapshot) {
        if (snapshot.circuitState() == CircuitState.OPEN) {
            return "OPEN";
        }
        if (snapshot.rateLimitedUntil() != null) {
            return "429-wait";
        }
        return snapshot.circuitState() == CircuitState.HALF_OPEN ? "half-open" : "closed";
    }
}
