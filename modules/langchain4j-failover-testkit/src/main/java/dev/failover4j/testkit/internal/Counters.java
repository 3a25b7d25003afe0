package dev.failover4j.testkit.internal;

import dev.failover4j.testkit.ChaosStats;
import dev.failover4j.testkit.FaultKind;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Lock-free request, served and per-fault-kind counters. */
public final class Counters {

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLongArray faults = new AtomicLongArray(FaultKind.values().length);

    void request() {
        requests.incrementAndGet();
    }

    void served() {
        served.incrementAndGet();
    }

    void fault(FaultKind kind) {
        faults.incrementAndGet(kind.ordinal());
    }

    public void reset() {
        requests.set(0);
        served.set(0);
        for (int i = 0; i < faults.length(); i++) {
            faults.set(i, 0);
        }
    }

    public ChaosStats snapshot() {
        Map<FaultKind, Long> byKind = new EnumMap<>(FaultKind.class);
        for (FaultKind k : FaultKind.values()) {
            long n = faults.get(k.ordinal());
            if (n > 0) {
                byKind.put(k, n);
            }
        }
        return new ChaosStats(requests.get(), served.get(), byKind);
    }
}
