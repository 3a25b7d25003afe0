package dev.failover4j.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Callers in a loop on some replicas until {@link #stop()} (or {@link #MAX} at the latest): counts calls and keeps
 * every user-facing error.
 */
final class Load implements AutoCloseable {

    /** No load runs longer than this, whatever the test does. */
    static final Duration MAX = Duration.ofSeconds(60);

    private final ExecutorService callers;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private Load(List<Replica> replicas, int callersPerReplica) {
        this.callers = Executors.newFixedThreadPool(replicas.size() * callersPerReplica);
        long deadline = System.nanoTime() + MAX.toNanos();
        for (Replica replica : replicas) {
            for (int i = 0; i < callersPerReplica; i++) {
                callers.execute(() -> {
                    while (running.get() && System.nanoTime() < deadline) {
                        long start = System.nanoTime();
                        try {
                            replica.chat();
                        } catch (RuntimeException e) {
                            errors.add(e);
                        }
                        slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                        calls.incrementAndGet();
                    }
                });
            }
        }
    }

    static Load start(List<Replica> replicas, int callersPerReplica) {
        return new Load(replicas, callersPerReplica);
    }

    long calls() {
        return calls.get();
    }

    /** @return the longest call so far */
    Duration slowest() {
        return Duration.ofNanos(slowestNanos.get());
    }

    List<Throwable> errors() {
        return errors;
    }

    /** Stops the callers and waits for their last calls. */
    Load stop() {
        running.set(false);
        callers.shutdown();
        try {
            if (!callers.awaitTermination(30, TimeUnit.SECONDS)) {
                callers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    @Override
    public void close() {
        stop();
    }
}
