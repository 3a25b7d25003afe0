package dev.failover4j.redis.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * The half-open trial of one target, fleet-wide: when the fleet's open phase ends, one replica at a time holds a
 * lease in Redis ({@link FleetScripts#CLAIM}) and sends at most {@code permits} trial calls; the others keep
 * skipping the target until the holder closes the breaker everywhere, opens it again, or its lease expires (a
 * holder that crashed or gets no traffic). Claims are asynchronous: the call that finds no lease starts one and
 * skips the target. Thread-safe; used only while the fleet's breaker is not closed, never on the healthy path.
 */
final class FleetTrial {

    private enum Holder { NOBODY, ME, OTHER }

    private final int permitsPerLease;
    private final Duration lease;
    private Holder holder = Holder.NOBODY;
    private Instant until = Instant.MIN;
    private boolean claiming;
    private int permits;
    private int inFlight;
    private int successes;
    /** Bumped by every reset, so that a claim answered after it changes nothing. */
    private long epoch;

    FleetTrial(int permitsPerLease, Duration lease) {
        this.permitsPerLease = permitsPerLease;
        this.lease = lease;
    }

    Duration lease() {
        return lease;
    }

    /**
     * @param claim starts a claim for this epoch (called at most once at a time)
     * @return whether this replica holds the lease now
     */
    synchronized boolean mayTry(Instant now, java.util.function.LongConsumer claim) {
        if (holder == Holder.ME && now.isBefore(until)) {
            return true;
        }
        if (holder == Holder.OTHER && now.isBefore(until)) {
            return false;
        }
        if (!claiming) {
            claiming = true;
            claim.accept(epoch);
        }
        return false;
    }

    /** A claim of {@code claimEpoch} was answered: granted, or held by another replica for {@code leftMillis}. */
    synchronized void claimed(long claimEpoch, boolean granted, long leftMillis, Instant now) {
        if (claimEpoch != epoch) {
            return;
        }
        claiming = false;
        if (granted) {
            if (holder != Holder.ME) {
                permits = permitsPerLease;
                successes = 0;
            }
            holder = Holder.ME;
            until = now.plus(lease);
        } else {
            holder = Holder.OTHER;
            until = now.plusMillis(Math.max(10, leftMillis));
        }
    }

    /** What a sync read: who holds the lease and for how long. */
    synchronized void synced(boolean mine, boolean held, long leftMillis, Instant now) {
        if (mine) {
            if (holder != Holder.ME) {
                permits = permitsPerLease;
                successes = 0;
            }
            holder = Holder.ME;
            until = now.plusMillis(leftMillis);
        } else if (held) {
            holder = Holder.OTHER;
            until = now.plusMillis(leftMillis);
        } else if (holder == Holder.OTHER) {
            holder = Holder.NOBODY;
        }
    }

    /** @return whether a trial permit was taken (this replica holds the lease and has permits left) */
    synchronized boolean tryPermit() {
        if (holder != Holder.ME || permits == 0) {
            return false;
        }
        permits--;
        inFlight++;
        return true;
    }

    /** Gives back a permit whose trial said nothing (the caller's own error, abandoned, refused locally). */
    synchronized void returnPermit() {
        if (holder == Holder.ME) {
            permits++;
        }
    }

    /** @return whether an attempt that just ended held a trial permit */
    synchronized boolean endPermit() {
        if (inFlight == 0) {
            return false;
        }
        inFlight--;
        return true;
    }

    /** @return whether this success makes enough to close the breaker */
    synchronized boolean succeeded() {
        return ++successes >= permitsPerLease;
    }

    /** The fleet's breaker opened again, closed or was reset: the lease is over. */
    synchronized void reset() {
        epoch++;
        holder = Holder.NOBODY;
        until = Instant.MIN;
        claiming = false;
        permits = 0;
        inFlight = 0;
        successes = 0;
    }
}
