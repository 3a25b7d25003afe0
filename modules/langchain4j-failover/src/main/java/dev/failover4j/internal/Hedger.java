package dev.failover4j.internal;

import dev.failover4j.Hedging;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A group's hedging: the delay before a call's second attempt (fixed, or a percentile of the primary target's recent
 * answers), the cap on hedged attempts over the last minute, and the daemon threads hedged calls' attempts run on
 * (idle ones end after a minute; {@link #close()} ends them once the attempts in flight have). Thread-safe.
 */
final class Hedger implements AutoCloseable {

    private static final int WINDOW_BUCKETS = 6;
    private static final long BUCKET_MILLIS = 10_000;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Hedging hedging;
    private final Clock clock;
    private final ExecutorService threads;
    private final Map<TargetRuntime, Latencies> latencies = new IdentityHashMap<>();
    // the extra-load window: calls and hedges per 10-s bucket over the last minute, guarded by this
    private final long[] calls = new long[WINDOW_BUCKETS];
    private final long[] hedges = new long[WINDOW_BUCKETS];
    private long bucketEpoch = Long.MIN_VALUE;

    Hedger(Hedging hedging, List<TargetRuntime> targets, Clock clock) {
        this.hedging = hedging;
        this.clock = clock;
        if (hedging.delay() == null) {
            targets.forEach(t -> latencies.put(t, new Latencies())); // filled here, read-only afterwards
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger thread = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "failover-hedge-" + pool + "-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    ExecutorService threads() {
        return threads;
    }

    /** @return how long a call's attempt on {@code target} runs alone before a hedge may start */
    Duration delayFor(TargetRuntime target) {
        if (hedging.delay() != null) {
            return hedging.delay();
        }
        long nanos = latencies.get(target).percentileNanos(hedging.percentile());
        if (nanos < 0) {
            return hedging.ceiling();
        }
        Duration delay = Duration.ofNanos(nanos);
        return delay.compareTo(hedging.floor()) < 0 ? hedging.floor() : delay.compareTo(hedging.ceiling()) > 0 ? hedging.ceiling() : delay;
    }

    /** A hedged call's primary attempt answered (for a stream: its first token) after so long. */
    void answered(TargetRuntime target, long nanos) {
        Latencies window = latencies.get(target);
        if (window != null) {
            window.add(nanos);
        }
    }

    /** Counts a call that may be hedged. */
    synchronized void called() {
        calls[bucket()]++;
    }

    /** @return whether one more hedge stays within {@code maxExtraLoad} of the last minute's calls; counts it if so */
    synchronized boolean tryHedge() {
        int now = bucket();
        if (Arrays.stream(hedges).sum() + 1 > hedging.maxExtraLoad() * Arrays.stream(calls).sum()) {
            return false;
        }
        hedges[now]++;
        return true;
    }

    /** @return the current bucket, after clearing the buckets that fell out of the window */
    private int bucket() {
        long epoch = clock.millis() / BUCKET_MILLIS;
        if (epoch != bucketEpoch) {
            long stale = bucketEpoch == Long.MIN_VALUE ? WINDOW_BUCKETS : Math.min(WINDOW_BUCKETS, epoch - bucketEpoch);
            for (long e = epoch - stale + 1; e <= epoch; e++) {
                int i = (int) Math.floorMod(e, WINDOW_BUCKETS);
                calls[i] = 0;
                hedges[i] = 0;
            }
            bucketEpoch = epoch;
        }
        return (int) Math.floorMod(epoch, WINDOW_BUCKETS);
    }

    /** Lets hedged attempts in flight finish; idle threads end now, and no new hedge starts. */
    @Override
    public void close() {
        threads.shutdown();
    }

    /** The latest answers' durations of one target, for a percentile; the percentile is recomputed every 16 answers. */
    private static final class Latencies {
        private static final int SIZE = 256;
        private final long[] nanos = new long[SIZE];
        private long count;
        private long cachedAt = -1;
        private long cached = -1;
        private double cachedPercentile;

        synchronized void add(long value) {
            nanos[(int) (count++ % SIZE)] = value;
        }

        synchronized long percentileNanos(double percentile) {
            if (count < Hedging.MIN_SAMPLES) {
                return -1;
            }
            if (cachedAt < 0 || count - cachedAt >= 16 || cachedPercentile != percentile) {
                long[] sorted = Arrays.copyOf(nanos, (int) Math.min(count, SIZE));
                Arrays.sort(sorted);
                cached = sorted[(int) Math.min(sorted.length - 1, Math.ceil(percentile * sorted.length) - 1)];
                cachedAt = count;
                cachedPercentile = percentile;
            }
            return cached;
        }
    }
}
