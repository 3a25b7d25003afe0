package dev.failover4j.drill;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * The end-of-drill table: one row per phase and a total row with calls, user-facing errors, p50/p99
 * latency, the share each target served, the requests that reached the primary (retries included:
 * a dead primary behind an open breaker gets few) and the estimated cost. Calls count in the phase
 * they started in.
 */
public final class PhaseTable {

    private PhaseTable() {
    }

    /** @return the table as text, lines separated by {@code \n}, ending with a line break */
    public static String render(DrillStats stats, DrillTimeline timeline) {
        List<String> targets = stats.targets();
        String first = targets.get(0);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-10s %5s %6s %6s %7s %7s", "phase", "secs", "calls", "errors", "p50", "p99"));
        targets.forEach(t -> out.append(String.format(Locale.ROOT, " %9s", t)));
        out.append(String.format(Locale.ROOT, " %12s %10s%n", "reqs→" + first, "cost $"));
        int width = out.length() - 1;
        out.append("-".repeat(width)).append('\n');
        long primaryRequests = 0;
        for (DrillPhase phase : DrillPhase.values()) {
            long requests = stats.providerRequests(phase, first);
            primaryRequests += requests;
            row(out, phase.label(), timeline.lengthMillis(phase) / 1000.0, stats.phase(phase), targets, requests);
        }
        out.append("-".repeat(width)).append('\n');
        row(out, "total", timeline.totalMillis() / 1000.0, stats.total(), targets, primaryRequests);
        return out.toString();
    }

    private static void row(StringBuilder out, String label, double seconds, CallSummary s, List<String> targets,
            long primaryRequests) {
        out.append(String.format(Locale.ROOT, "%-10s %5.1f %6d %6d %7s %7s", label, seconds, s.calls(), s.errors(),
                millis(s.p50()), millis(s.p99())));
        targets.forEach(t -> out.append(String.format(Locale.ROOT, " %8.1f%%", 100 * s.share(t))));
        out.append(String.format(Locale.ROOT, " %12d %10s%n", primaryRequests, dollars(s.cost())));
    }

    static String millis(long ms) {
        return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    static String dollars(BigDecimal cost) {
        return cost.setScale(4, RoundingMode.HALF_UP).toPlainString();
    }
}
