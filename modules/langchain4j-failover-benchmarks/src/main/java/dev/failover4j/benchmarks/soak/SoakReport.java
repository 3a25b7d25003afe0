package dev.failover4j.benchmarks.soak;

import java.util.Arrays;
import java.util.List;

/** Prints the soak summary and decides whether it passed. */
final class SoakReport {

    private SoakReport() {}

    static boolean print(SoakOptions options, SoakOutcomes o, List<ResourceSample> samples, ServerProcess.Stats serverStats,
                         double seconds) {
        // Compare the median of the first third of the in-run samples with the median of the last third
        // (the baseline before any call is excluded: class loading and pools warm up in the first seconds).
        List<ResourceSample> run = samples.subList(1, samples.size());
        int third = Math.max(1, run.size() / 3);
        List<ResourceSample> early = run.subList(0, third);
        List<ResourceSample> lateSamples = run.subList(run.size() - third, run.size());
        double heapEarly = median(early.stream().mapToLong(ResourceSample::heapAfterGcBytes).toArray());
        double heapLate = median(lateSamples.stream().mapToLong(ResourceSample::heapAfterGcBytes).toArray());
        double threadsEarly = median(early.stream().mapToLong(ResourceSample::clientThreads).toArray());
        double threadsLate = median(lateSamples.stream().mapToLong(ResourceSample::clientThreads).toArray());
        double fdsEarly = median(early.stream().mapToLong(ResourceSample::openFds).toArray());
        double fdsLate = median(lateSamples.stream().mapToLong(ResourceSample::openFds).toArray());
        boolean heapFlat = heapLate <= heapEarly * 1.25 + 8e6;
        boolean threadsFlat = threadsLate <= threadsEarly + 16;
        boolean fdsFlat = fdsLate <= fdsEarly * 1.25 + 32;
        long lostAndLate = o.lost.sum() + o.late.sum() + o.untypedFailures.sum();
        System.out.printf("%nSOAK SUMMARY duration=%.0f s callers=%d (%d streaming) routing=%s%n", seconds, options.threads(),
                options.streaming(), options.routing() == null ? "priority (a, b, c)" : options.routing() + " (a, then b:c 3:1)");
        System.out.printf("  calls=%d (sync %d, streaming %d, %.0f/s) answered=%d (%.2f %%) typed failures=%d "
                        + "untyped=%d late=%d lost=%d slowest=%d ms (limit %d ms)%n",
                o.total(), o.syncCalls.sum(), o.streamingCalls.sum(), o.total() / seconds, o.answered.sum(),
                100.0 * o.answered.sum() / Math.max(1, o.total()), o.typedFailures.sum(), o.untypedFailures.sum(),
                o.late.sum(), o.lost.sum(), o.slowestNanos.get() / 1_000_000, SoakDriver.limitNanos() / 1_000_000);
        System.out.println("  failures by type=" + o.failuresByType);
        System.out.printf("  heap after GC: first third %.1f MB, last third %.1f MB (%s)%n", heapEarly / 1e6,
                heapLate / 1e6, heapFlat ? "flat" : "GROWING");
        System.out.printf("  client-side threads: %.0f -> %.0f (%s); open fds: %.0f -> %.0f (%s)%n", threadsEarly,
                threadsLate, threadsFlat ? "flat" : "GROWING", fdsEarly, fdsLate, fdsFlat ? "flat" : "GROWING");
        System.out.println(serverStats.text());
        // Every fault kind happens in every 20-s cycle; one that never happened means the schedule stopped.
        boolean scheduleRan = serverStats.missingFaults().isEmpty() || seconds < 60;
        System.out.println("  scheduled faults never injected: " + (serverStats.missingFaults().isEmpty() ? "none"
                : serverStats.missingFaults() + (scheduleRan ? " (run shorter than 60 s: not checked)" : " — SCHEDULE BROKEN")));
        boolean ok = lostAndLate == 0 && heapFlat && threadsFlat && fdsFlat && scheduleRan;
        System.out.println(ok ? "  RESULT: PASS" : "  RESULT: FAIL");
        return ok;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }
}
