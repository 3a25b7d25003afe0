package dev.failover4j.micrometer;

import dev.failover4j.FailoverGroup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Micrometer meters for one {@link FailoverGroup}, derived only from its {@link dev.failover4j.FailoverEvent}s
 * (through {@link FailoverGroup#addListener}) and its {@link FailoverGroup#health()} snapshots (for the gauges);
 * it never reads the group's state otherwise.
 *
 * <pre>{@code
 * FailoverMetrics metrics = FailoverMetrics.bind(group, registry);   // or: new FailoverMetrics(group).bindTo(registry)
 * ...
 * metrics.close();                                                   // stops listening, removes the meters
 * }</pre>
 *
 * <p>The meters (each also carries the tags given to the constructor):
 * <pre>
 * gen_ai.client.operation.duration  Timer    per call: gen_ai.operation.name=chat, gen_ai.request.model, target, outcome, error.type
 * gen_ai.client.token.usage         Summary  per served call: gen_ai.operation.name=chat, gen_ai.request.model, target, gen_ai.token.type=input|output
 * failover.calls                    Counter  outcome = served | failed_over | exhausted | context_too_large | rejected | ...
 * failover.attempts                 Counter  target, outcome = succeeded | failed, kind = a FailureKind in lower case, or none
 * failover.skips                    Counter  target, reason = a SkipReason in lower case
 * failover.circuit.transitions      Counter  target, to = closed | open | half_open
 * failover.history.truncated        Counter  target
 * failover.stream.continuations     Counter  target (whose stream broke after text and was continued)
 * failover.hedges                   Counter  target (of the hedged attempt), outcome = started | won
 * failover.circuit.state            Gauge    target: 0 closed, 1 half-open, 2 open (from health())
 * failover.cost                     FunctionCounter  target, for targets with a price: their cost in the price's currency
 * </pre>
 * A failed call has no serving target: its duration carries {@code target=none}, {@code gen_ai.request.model=none}
 * and {@code error.type} = its {@link dev.failover4j.FailoverEvent.CallFailed.Reason} in lower case; a served one has
 * {@code error.type=none}. Every tag value is a target's name, its configured model name or an enum constant —
 * never a prompt, an answer, a key or a user: the tag sets stay small.
 *
 * <p>Counters, timers and summaries are registered at their first event, so a scrape shows only what happened;
 * the gauges are registered at {@link #bindTo}. Latency percentiles and histograms are the registry's choice: no
 * meter asks for them, so add a {@code MeterFilter} (or Spring Boot's
 * {@code management.metrics.distribution.percentiles-histogram.gen_ai.client.operation.duration=true}) before
 * binding. Several groups in one registry need a tag that tells them apart (e.g. {@code Tags.of("group", "chat")}):
 * otherwise their counters add up and the first group's gauges win.
 *
 * <p>Cost on the call path: a few map reads and meter updates per event, on the calling thread; binding also makes
 * the group build the events it skips when nobody listens. Thread-safe; one instance may be bound to several
 * registries.
 */
public final class FailoverMetrics implements MeterBinder, AutoCloseable {

    /** Call duration, after the OpenTelemetry GenAI semantic conventions. */
    public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    /** Tokens per served call, after the OpenTelemetry GenAI semantic conventions. */
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    /** Calls by how they ended. */
    public static final String CALLS = "failover.calls";
    /** Attempts by target, outcome and failure kind. */
    public static final String ATTEMPTS = "failover.attempts";
    /** Targets not called, by reason. */
    public static final String SKIPS = "failover.skips";
    /** Each target's breaker state now. */
    public static final String CIRCUIT_STATE = "failover.circuit.state";
    /** Breaker transitions by the state entered. */
    public static final String CIRCUIT_TRANSITIONS = "failover.circuit.transitions";
    /** Each priced target's cost since the group was built. */
    public static final String COST = "failover.cost";
    /** Histories shortened to fit a target's window. */
    public static final String HISTORY_TRUNCATED = "failover.history.truncated";
    public static final String STREAM_CONTINUATIONS = "failover.stream.continuations";
    public static final String HEDGES = "failover.hedges";

    private final FailoverGroup group;
    private final Tags tags;
    private final List<GroupMeters> bindings = new ArrayList<>();
    private boolean closed;

    /**
     * Meters for {@code group}, not yet bound to a registry.
     *
     * @throws NullPointerException when {@code group} is null
     */
    public FailoverMetrics(FailoverGroup group) {
        this(group, Tags.empty());
    }

    /**
     * Meters for {@code group} that all carry {@code tags} as well (e.g. which group it is).
     *
     * @throws NullPointerException when {@code group} or {@code tags} is null
     */
    public FailoverMetrics(FailoverGroup group, Iterable<Tag> tags) {
        this.group = Objects.requireNonNull(group, "group");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /**
     * Shortcut for {@code new FailoverMetrics(group).bindTo(registry)}.
     *
     * @return the bound metrics; {@link #close()} them when the group goes away
     * @throws NullPointerException when {@code group} or {@code registry} is null
     */
    public static FailoverMetrics bind(FailoverGroup group, MeterRegistry registry) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(registry, "registry");
        FailoverMetrics metrics = new FailoverMetrics(group);
        metrics.bindTo(registry);
        return metrics;
    }

    /**
     * Registers the gauges in {@code registry} and starts listening to the group's events: calls that start after
     * this are counted.
     *
     * @throws NullPointerException  when {@code registry} is null
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("these FailoverMetrics are closed");
        }
        GroupMeters meters = new GroupMeters(group, registry, tags);
        bindings.add(meters);
        group.addListener(meters);
    }

    /** Stops listening to the group and removes every meter this instance registered. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        for (GroupMeters meters : bindings) {
            group.removeListener(meters);
            meters.close();
        }
        bindings.clear();
    }

    @Override
    public String toString() {
        return "FailoverMetrics{targets=" + group.targets().stream().map(t -> t.name()).toList() + ", tags=" + tags
                + (closed ? ", closed" : "") + "}";
    }
}
