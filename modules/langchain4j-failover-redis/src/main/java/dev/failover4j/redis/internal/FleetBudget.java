package dev.failover4j.redis.internal;

import dev.failover4j.spi.BudgetState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A target's requests/tokens budget shared by the fleet: Redis counts what each window granted
 * ({@link FleetScripts#TAKE}, atomic), and each replica spends a small local lease of it, so a call never waits on
 * Redis. A lease is taken ahead of need (when a replica's stock falls to half a chunk, and at the start of each
 * window in which it spent), in chunks of about 1 % of the budget; it is void when its window ends. The fleet never
 * grants more than the budget per window; what a replica holds unspent when the window ends is lost to it (at most
 * a chunk or two per replica). Output tokens are taken from the lease after the answer (it may go into debt, which
 * the next lease pays first). While Redis is unavailable, the replica spends its share ({@link LocalWindowBudget}).
 *
 * <p>Windows are fixed, on Redis's clock; their length is the budget's minute ({@code budgetWindow}, one minute
 * unless a test or a drill shortens it). Thread-safe (this object's lock, held for a few field updates).
 */
final class FleetBudget implements BudgetState {

    private final Fleet fleet;
    private final FleetKeys keys;
    private final Clock clock;
    private final Duration window;
    private final long requestLimit;
    private final long tokenLimit;
    private final long requestChunk;
    private final long tokenChunk;
    private long leaseWindow = Long.MIN_VALUE;
    private Instant leaseEnd = Instant.MIN;
    private long requests;
    private long tokens;
    private boolean refilling;
    /** The fleet granted less than asked: nothing more this window. */
    private boolean spent;
    /** Whether this replica spent from its lease in the current window (then it takes the next window's lease ahead). */
    private boolean spentHere;
    private int replicas = 1;
    private LocalWindowBudget fallback;

    FleetBudget(Fleet fleet, FleetKeys keys, Clock clock, Duration window, int requestsPerWindow, int tokensPerWindow) {
        this.fleet = fleet;
        this.keys = keys;
        this.clock = clock;
        this.window = window;
        this.requestLimit = requestsPerWindow;
        this.tokenLimit = tokensPerWindow;
        this.requestChunk = chunk(requestsPerWindow);
        this.tokenChunk = chunk(tokensPerWindow);
    }

    /** About 1 % of the budget: small enough that unspent leases cost little, large enough that Redis sees one request in dozens. */
    private static long chunk(long limit) {
        return limit == 0 ? 0 : Math.max(1, Math.min(limit / 100, 1_000_000));
    }

    FleetKeys keys() {
        return keys;
    }

    /** Takes the first lease ahead of the first call. */
    void start() {
        refillIfNeeded(0, true);
    }

    @Override
    public boolean tryAcquire(int promptTokens) {
        boolean granted;
        synchronized (this) {
            expireLease();
            granted = has(promptTokens);
            if (granted) {
                take(promptTokens);
            } else if (!fleet.usable()) {
                return fallback().tryAcquire(promptTokens);
            }
        }
        refillIfNeeded(promptTokens, false);
        return granted;
    }

    @Override
    public Duration tryReserve(int promptTokens, Duration maxWait) {
        Duration wait;
        synchronized (this) {
            expireLease();
            if (has(promptTokens)) {
                take(promptTokens);
                return Duration.ZERO;
            }
            if (!fleet.usable() || leaseEnd == Instant.MIN) {
                return fallback().tryReserve(promptTokens, maxWait);
            }
            wait = Duration.between(clock.instant(), leaseEnd).plusMillis(1);
            if (wait.compareTo(maxWait) > 0) {
                return null;
            }
        }
        // counted in the next window, without waiting for the answer
        fleet.takeBudget(this, window, requestLimit, tokenLimit, requestLimit > 0 ? 1 : 0, promptTokens, 1, reply -> {});
        return wait;
    }

    @Override
    public void chargeOutput(int outputTokens) {
        synchronized (this) {
            if (!fleet.usable() && tokens < outputTokens) {
                fallback().chargeOutput(outputTokens);
                return;
            }
            tokens -= outputTokens;
        }
        refillIfNeeded(0, false);
    }

    private boolean has(int promptTokens) {
        return (requestLimit == 0 || requests >= 1) && (tokenLimit == 0 || tokens >= promptTokens);
    }

    private void take(int promptTokens) {
        if (requestLimit > 0) {
            requests--;
        }
        tokens -= promptTokens;
        spentHere = true;
    }

    private void expireLease() {
        if (!clock.instant().isBefore(leaseEnd) && leaseEnd != Instant.MIN) {
            requests = 0;
            tokens = 0;
            spent = false;
            leaseEnd = Instant.MIN;
        }
    }

    /** Asks Redis for a chunk when the stock is low (one request at a time; none when the fleet has nothing left). */
    private void refillIfNeeded(int promptTokens, boolean force) {
        long wantRequests;
        long wantTokens;
        synchronized (this) {
            boolean low = (requestLimit > 0 && requests <= requestChunk / 2)
                    || (tokenLimit > 0 && tokens < Math.max(tokenChunk / 2, 2L * promptTokens));
            if (refilling || spent || !fleet.usable() || !(low || force)) {
                return;
            }
            refilling = true;
            wantRequests = requestLimit > 0 ? requestChunk : 0;
            wantTokens = tokenLimit > 0 ? Math.max(tokenChunk, promptTokens) + Math.max(0, -tokens) : 0;
        }
        long askedRequests = wantRequests;
        long askedTokens = wantTokens;
        if (!fleet.takeBudget(this, window, requestLimit, tokenLimit, wantRequests, wantTokens, 0,
                reply -> granted(reply, askedRequests, askedTokens))) {
            synchronized (this) {
                refilling = false;
            }
        }
    }

    /** On the fleet thread: Redis granted a lease. */
    private void granted(List<Long> reply, long askedRequests, long askedTokens) {
        long grantedRequests = reply.get(0);
        long grantedTokens = reply.get(1);
        long left = reply.get(2);
        long windowIndex = reply.get(4);
        boolean newWindow;
        synchronized (this) {
            refilling = false;
            newWindow = windowIndex != leaseWindow;
            if (newWindow) {
                tokens = windowIndex == leaseWindow + 1 ? Math.min(0, tokens) : 0; // a debt is paid by the next window
                leaseWindow = windowIndex;
                requests = 0;
                spentHere = false;
            }
            requests += grantedRequests;
            tokens += grantedTokens;
            leaseEnd = clock.instant().plusMillis(left);
            replicas = (int) Math.max(1, reply.get(3));
            spent = grantedRequests < askedRequests || grantedTokens < askedTokens;
        }
        if (newWindow) {
            fleet.schedule(this::nextWindow, left + 1);
        }
    }

    /** At a window's end: take the next window's lease ahead, when this replica spent in the last one. */
    private void nextWindow() {
        boolean wanted;
        synchronized (this) {
            expireLease();
            wanted = spentHere;
        }
        if (wanted) {
            refillIfNeeded(0, true);
        }
    }

    private LocalWindowBudget fallback() {
        if (fallback == null) {
            fallback = new LocalWindowBudget(clock, window, requestLimit, tokenLimit, replicas);
        }
        return fallback;
    }

    @Override
    public synchronized String toString() {
        return "FleetBudget{" + keys + ", requests " + requests + ", tokens " + tokens + (spent ? ", spent" : "") + "}";
    }
}
