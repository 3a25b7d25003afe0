package dev.failover4j.testkit;

import dev.failover4j.testkit.internal.ChaosEngine;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** What a chaos server and a chaos proxy share: fault injection and request recording by one {@link ChaosEngine}. */
abstract class EngineBackedEndpoint implements ChaosEndpoint {

    final ChaosEngine engine;

    EngineBackedEndpoint(ChaosEngine engine) {
        this.engine = engine;
    }

    @Override
    public int port() {
        return engine.port();
    }

    @Override
    public void inject(Fault fault) {
        engine.inject(Objects.requireNonNull(fault, "fault"), -1);
    }

    @Override
    public void injectNext(int requests, Fault fault) {
        if (requests <= 0) {
            throw new IllegalArgumentException("requests must be > 0 but was " + requests);
        }
        engine.inject(Objects.requireNonNull(fault, "fault"), requests);
    }

    @Override
    public void schedule(FaultSchedule schedule) {
        engine.schedule(Objects.requireNonNull(schedule, "schedule"));
    }

    @Override
    public void clearFaults() {
        engine.clearFaults();
    }

    @Override
    public List<RecordedChatRequest> requests() {
        return engine.requests();
    }

    @Override
    public int requestCount() {
        return engine.requestCount();
    }

    @Override
    public RecordedChatRequest takeRequest(Duration timeout) {
        return engine.takeRequest(Objects.requireNonNull(timeout, "timeout"));
    }

    @Override
    public ChaosStats stats() {
        return engine.stats();
    }
}
