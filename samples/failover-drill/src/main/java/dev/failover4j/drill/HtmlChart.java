package dev.failover4j.drill;

import dev.failover4j.CircuitState;
import java.util.List;
import java.util.Locale;

/**
 * The drill's report: a self-contained HTML page (no scripts, no external resources) with two inline
 * SVG charts — requests per second stacked by serving target, and p50/p99 latency per second on a log
 * scale — each with the phases shaded, plus the phase table and the breaker transitions.
 * Each {@code <svg>} element is well-formed XML on its own.
 */
public final class HtmlChart {

    static final int WIDTH = 960;
    static final int HEIGHT = 300;
    static final int LEFT = 60;
    static final int RIGHT = 130;
    static final int TOP = 34;
    static final int BOTTOM = 36;
    private static final String[] TARGET_COLORS = {"#2563eb", "#f59e0b", "#10b981", "#8b5cf6", "#64748b"};
    private static final String ERROR_COLOR = "#dc2626";
    private static final String[] PHASE_COLORS = {"#f0fdf4", "#fef2f2", "#fffbeb", "#f5f3ff", "#ecfeff"};

    private HtmlChart() {
    }

    /** @return the whole HTML page */
    public static String render(String title, DrillStats stats, DrillTimeline timeline, List<EventCounter.Transition> transitions,
            String table, String notes) {
        int seconds = (int) Math.max(1, (timeline.totalMillis() + 999) / 1000);
        List<CallSummary> perSecond = stats.perSecond(seconds);
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
                + "<style>body{font-family:system-ui,sans-serif;margin:24px;color:#111}pre{background:#f8fafc;"
                + "padding:12px;border:1px solid #e2e8f0;overflow-x:auto}svg{display:block;margin:12px 0}</style>"
                + "</head><body>\n<h1>" + escape(title) + "</h1>\n<p>" + escape(notes) + "</p>\n"
                + "<h2>Requests per second, by the target that served them</h2>\n"
                + requestsSvg(perSecond, stats.targets(), timeline, transitions) + "\n"
                + "<h2>Latency per second (p50, p99), log scale</h2>\n"
                + latencySvg(perSecond, timeline) + "\n"
                + "<h2>Per phase</h2>\n<pre>" + escape(table) + "</pre>\n"
                + "<h2>Breaker transitions</h2>\n<pre>" + escape(transitionsText(transitions)) + "</pre>\n"
                + "</body></html>\n";
    }

    /** @return stacked bars: calls ended per second, per serving target, errors on top */
    static String requestsSvg(List<CallSummary> perSecond, List<String> targets, DrillTimeline timeline,
            List<EventCounter.Transition> transitions) {
        long max = Math.max(1, perSecond.stream().mapToLong(CallSummary::calls).max().orElse(1));
        double step = niceStep(max);
        double yMax = step * Math.ceil(max / step);
        StringBuilder svg = open("requests per second");
        phases(svg, timeline);
        double barWidth = plotWidth() / (double) perSecond.size();
        for (int s = 0; s < perSecond.size(); s++) {
            CallSummary second = perSecond.get(s);
            double stacked = 0;
            for (int t = 0; t < targets.size(); t++) {
                long n = second.servedBy().getOrDefault(targets.get(t), 0L);
                stacked = bar(svg, s, barWidth, stacked, n, yMax, color(t), targets.get(t) + ": " + n);
            }
            bar(svg, s, barWidth, stacked, second.errors(), yMax, ERROR_COLOR, "errors: " + second.errors());
        }
        for (EventCounter.Transition t : transitions) {
            if (t.to() == CircuitState.OPEN || t.to() == CircuitState.CLOSED) {
                double x = LEFT + plotWidth() * t.elapsedMillis() / (double) timeline.totalMillis();
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                                + "stroke-dasharray=\"%s\" stroke-width=\"1\"><title>%s</title></line>\n", x, TOP, x,
                        HEIGHT - BOTTOM, color(targets.indexOf(t.target())), t.to() == CircuitState.OPEN ? "4 3" : "1 3",
                        escape(transitionText(t))));
            }
        }
        yAxis(svg, yMax, step, "req/s");
        xAxis(svg, perSecond.size());
        for (int t = 0; t < targets.size(); t++) {
            legend(svg, t, color(t), targets.get(t));
        }
        legend(svg, targets.size(), ERROR_COLOR, "user errors");
        int legendY = TOP + 18 * (targets.size() + 1) + 12;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#475569\">- - breaker opens</text>\n"
                + "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#475569\">· · breaker closes</text>\n",
                WIDTH - RIGHT + 12, legendY, WIDTH - RIGHT + 12, legendY + 14));
        return svg.append("</svg>").toString();
    }

    /** @return p50 and p99 latency of the calls ended in each second, on a log scale from 10 ms */
    static String latencySvg(List<CallSummary> perSecond, DrillTimeline timeline) {
        long max = perSecond.stream().mapToLong(CallSummary::p99).max().orElse(1000);
        double yMax = Math.pow(10, Math.max(3, Math.ceil(Math.log10(Math.max(1, max)))));
        StringBuilder svg = open("latency per second");
        phases(svg, timeline);
        double step = plotWidth() / (double) perSecond.size();
        line(svg, perSecond, step, yMax, true, "#0f172a", "p99");
        line(svg, perSecond, step, yMax, false, "#2563eb", "p50");
        yAxis(svg, yMax, 0, "ms");
        xAxis(svg, perSecond.size());
        legend(svg, 0, "#2563eb", "p50");
        legend(svg, 1, "#0f172a", "p99");
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String label) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                        + "aria-label=\"%s\" font-family=\"system-ui,sans-serif\">\n"
                        + "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
                WIDTH, HEIGHT, WIDTH, HEIGHT, escape(label), WIDTH, HEIGHT));
    }

    private static void phases(StringBuilder svg, DrillTimeline timeline) {
        for (DrillPhase phase : DrillPhase.values()) {
            double x = LEFT + plotWidth() * timeline.startMillis(phase) / (double) timeline.totalMillis();
            double w = plotWidth() * timeline.lengthMillis(phase) / (double) timeline.totalMillis();
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                            + "<title>%s</title></rect>\n<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#334155\">%s</text>\n",
                    x, TOP, w, plotHeight(), PHASE_COLORS[phase.ordinal() % PHASE_COLORS.length],
                    escape(phase.label() + ": " + phase.description()), x + 4, TOP - 8, escape(phase.label())));
        }
    }

    private static double bar(StringBuilder svg, int second, double width, double base, long n, double yMax, String color,
            String title) {
        if (n == 0) {
            return base;
        }
        double h = plotHeight() * n / yMax;
        double y = TOP + plotHeight() - plotHeight() * base / yMax - h;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                        + "<title>%ds: %s</title></rect>\n",
                LEFT + second * width + 0.5, y, Math.max(0.5, width - 1), h, color, second, escape(title)));
        return base + n;
    }

    private static void line(StringBuilder svg, List<CallSummary> perSecond, double step, double yMax, boolean p99,
            String color, String label) {
        StringBuilder points = new StringBuilder();
        for (int s = 0; s < perSecond.size(); s++) {
            CallSummary second = perSecond.get(s);
            if (second.calls() == 0) {
                continue;
            }
            long ms = p99 ? second.p99() : second.p50();
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + (s + 0.5) * step, logY(ms, yMax)));
        }
        svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\">"
                + "<title>%s</title></polyline>\n", points.toString().trim(), color, label));
    }

    private static double logY(long ms, double yMax) {
        double v = Math.log10(Math.max(10, ms));
        return TOP + plotHeight() * (1 - (v - 1) / (Math.log10(yMax) - 1));
    }

    /** A linear axis with ticks every {@code step}, or a log axis (10 ms, 100 ms, 1 s...) when step is 0. */
    private static void yAxis(StringBuilder svg, double yMax, double step, String unit) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#334155\"/>\n",
                LEFT, TOP, LEFT, HEIGHT - BOTTOM));
        if (step == 0) {
            for (double v = 10; v <= yMax; v *= 10) {
                tick(svg, logY((long) v, yMax), v >= 1000 ? (long) (v / 1000) + " s" : (long) v + " ms");
            }
        } else {
            for (double v = 0; v <= yMax + 1e-9; v += step) {
                tick(svg, TOP + plotHeight() * (1 - v / yMax), String.format(Locale.ROOT, "%.0f", v));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#334155\">%s</text>\n",
                8, TOP - 8 - 12, escape(unit)));
    }

    private static void tick(StringBuilder svg, double y, String label) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#cbd5e1\" "
                        + "stroke-width=\"0.5\"/>\n<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" fill=\"#334155\">%s</text>\n",
                LEFT, y, WIDTH - RIGHT, y, LEFT - 6, y + 3, escape(label)));
    }

    private static void xAxis(StringBuilder svg, int seconds) {
        int y = HEIGHT - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#334155\"/>\n",
                LEFT, y, WIDTH - RIGHT, y));
        int every = seconds <= 20 ? 2 : seconds <= 60 ? 5 : 10 * (1 + seconds / 300);
        for (int s = 0; s <= seconds; s += every) {
            double x = LEFT + plotWidth() * s / (double) seconds;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\" "
                    + "fill=\"#334155\">%ds</text>\n", x, y + 14, s));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
                + "fill=\"#334155\">seconds since the drill started</text>\n", LEFT + plotWidth() / 2, y + 30));
    }

    private static void legend(StringBuilder svg, int row, String color, String label) {
        int x = WIDTH - RIGHT + 12;
        int y = TOP + row * 18;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n"
                + "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#111827\">%s</text>\n", x, y, color, x + 18, y + 10, escape(label)));
    }

    private static String transitionsText(List<EventCounter.Transition> transitions) {
        if (transitions.isEmpty()) {
            return "(none)";
        }
        StringBuilder text = new StringBuilder();
        transitions.forEach(t -> text.append(transitionText(t)).append('\n'));
        return text.toString();
    }

    static String transitionText(EventCounter.Transition t) {
        return String.format(Locale.ROOT, "%6.1fs  %-9s %s -> %s%s", t.elapsedMillis() / 1000.0, t.target(), t.from(), t.to(),
                t.callId() == 0 ? " (background probe)" : t.callId() > 0 ? " (call " + t.callId() + ")" : "");
    }

    /** @return a round tick step (1, 2 or 5 times a power of ten) giving at most five steps up to {@code max} */
    static double niceStep(long max) {
        double rough = Math.max(1, max) / 5.0;
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= rough) {
                return Math.max(1, m * magnitude);
            }
        }
        return 10 * magnitude;
    }

    private static String color(int index) {
        return index < 0 ? "#64748b" : TARGET_COLORS[index % TARGET_COLORS.length];
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
