package dev.failover4j.samples.agent;

import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverListener;
import dev.failover4j.testkit.ChaosEndpoint;
import dev.failover4j.testkit.Fault;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Stages the outage and records who served: a {@link FailoverListener} that kills the primary (every
 * later request gets its connection dropped) right after its first successful answer, which is a
 * tool call, so the primary dies between the tool call and its result.
 */
final class AgentRun implements FailoverListener {

    private final ChaosEndpoint primary;
    private final Consumer<String> log;
    private final AtomicBoolean killed = new AtomicBoolean();
    private final List<String> servedBy = new CopyOnWriteArrayList<>();

    AgentRun(ChaosEndpoint primary, Consumer<String> log) {
        this.primary = primary;
        this.log = log;
    }

    @Override
    public void onEvent(FailoverEvent event) {
        if (event instanceof FailoverEvent.AttemptSucceeded succeeded) {
            servedBy.add(succeeded.target());
            if (succeeded.target().equals(primary.name()) && killed.compareAndSet(false, true)) {
                log.accept("--- primary answered with a tool call and dies: connections dropped from now on");
                primary.inject(Fault.dropConnection());
            }
        } else if (event instanceof FailoverEvent.AttemptFailed failed) {
            log.accept("    " + failed.target() + " failed: " + failed.failure());
        }
    }

    /** The target that served each model call of the tool loop, in order. */
    List<String> servedBy() {
        return List.copyOf(servedBy);
    }
}
