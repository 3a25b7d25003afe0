package dev.failover4j.drill;

import dev.failover4j.FailoverConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a finished drill tells its user: the phase table, the failover events, the user-facing
 * errors (if any) on the console, and the HTML report on disk.
 */
final class DrillReport {

    /** How many distinct user-facing errors are printed. */
    static final int MAX_ERRORS_SHOWN = 5;

    private final DrillStats stats;
    private final DrillTimeline timeline;
    private final EventCounter events;
    private final DrillTiming timing;
    private final DrillOptions options;
    private final List<ProviderSpec> specs;
    private final String table;

    DrillReport(DrillStats stats, DrillTimeline timeline, EventCounter events, DrillTiming timing, DrillOptions options,
            List<ProviderSpec> specs) {
        this.stats = stats;
        this.timeline = timeline;
        this.events = events;
        this.timing = timing;
        this.options = options;
        this.specs = specs;
        this.table = PhaseTable.render(stats, timeline);
    }

    /** Prints the phase table, the event counts and the user-facing errors. */
    void print(PrintStream out) {
        out.println();
        out.println("Per phase (a call counts in the phase it started in; reqs→" + stats.targets().get(0)
                + " = requests that reached it, retries included):");
        out.print(table);
        out.println(eventSummary());
        long errors = stats.errors();
        out.println(errors == 0 ? "User-facing errors: 0" : "User-facing errors: " + errors + ", e.g.:");
        stats.records().stream().filter(CallRecord::isError).map(CallRecord::error).distinct().limit(MAX_ERRORS_SHOWN)
                .forEach(e -> out.println("  " + e));
    }

    /**
     * Writes {@code report.html} into {@code dir}, creating it if needed.
     *
     * @return the file written
     * @throws UncheckedIOException when it cannot be written
     */
    Path writeHtml(Path dir) {
        String notes = String.format(Locale.ROOT, "%s · %d users · %s · breaker delay %s (library default %ds), attempt "
                        + "timeout %s, deadline %s · providers: %s",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), options.users(),
                DrillOptions.format(options.duration()), FailoverDrill.millis(timing.breakerDelay()),
                FailoverConfig.DEFAULT_BREAKER_DELAY.toSeconds(), FailoverDrill.millis(timing.attemptTimeout()),
                FailoverDrill.millis(timing.deadline()),
                specs.stream().map(ProviderSpec::toString).collect(Collectors.joining("; ")));
        String html = HtmlChart.render("Failover drill", stats, timeline, events.transitions(), table, notes);
        try {
            Files.createDirectories(dir);
            Path report = dir.resolve("report.html");
            Files.writeString(report, html, StandardCharsets.UTF_8);
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir.toAbsolutePath(), e);
        }
    }

    /** @return e.g. {@code primary attempts 499, histories fitted to its window 0, failed SERVER_ERROR 9, ...} */
    String eventSummary() {
        StringBuilder text = new StringBuilder("Failover events:");
        for (String target : stats.targets()) {
            text.append(String.format(Locale.ROOT, "%n  %-9s attempts %d, histories fitted to its window %d", target,
                    events.attempts(target), events.truncations(target)));
            events.failures(target).forEach((kind, n) -> text.append(", failed ").append(kind).append(' ').append(n));
            events.skips(target).forEach((reason, n) -> text.append(", skipped ").append(reason).append(' ').append(n));
            if (events.hedges(target) > 0) {
                text.append(", hedged attempts ").append(events.hedges(target)).append(" (won ").append(events.hedgesWon(target))
                        .append(')');
            }
            if (events.downAlerts(target) > 0) {
                text.append(", TargetDown ").append(events.downAlerts(target)).append(", TargetRecovered ")
                        .append(events.recoveredAlerts(target));
            }
        }
        return text.append(String.format(Locale.ROOT, "%n  breaker transitions %d, calls exhausted %d",
                events.transitions().size(), events.exhausted())).toString();
    }
}
