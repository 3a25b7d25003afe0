package dev.failover4j.testkit.internal;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Fired once when an endpoint closes. Everything that waits on purpose (stalled streams, chunk
 * pacing, upstream reads) waits on this instead of sleeping, so {@code close()} releases it at once.
 */
public final class ShutdownSignal {

    private final CountDownLatch latch = new CountDownLatch(1);
    private final Set<Closeable> resources = ConcurrentHashMap.newKeySet();

    /** Fires the signal and closes every registered resource. Idempotent. */
    public void fire() {
        latch.countDown();
        for (Closeable c : resources) {
            closeQuietly(c);
        }
        resources.clear();
    }

    public boolean isFired() {
        return latch.getCount() == 0;
    }

    /** Waits up to {@code timeout}; true if the signal fired (or the thread was interrupted). */
    public boolean await(Duration timeout) {
        try {
            return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Waits until the signal fires (or the thread is interrupted). */
    public void await() {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes {@code resource} when the signal fires (at once if it already has). */
    public void register(Closeable resource) {
        resources.add(resource);
        if (isFired() && resources.remove(resource)) {
            closeQuietly(resource);
        }
    }

    public void unregister(Closeable resource) {
        resources.remove(resource);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // closing on shutdown: nothing useful to do with the failure
        }
    }
}
