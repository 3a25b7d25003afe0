package dev.failover4j.internal;

import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverListener;
import dev.failover4j.FailoverTarget;
import dev.failover4j.FittingConfig;
import dev.failover4j.health.TargetHealthSnapshot;
import dev.failover4j.spi.TargetState;
import dev.failover4j.spi.TargetStateFactory;
import java.util.Objects;
import dev.langchain4j.model.chat.Capability;
import dev.failover4j.CanaryRamp;
import dev.failover4j.Hedging;
import dev.failover4j.Probes;
import dev.failover4j.PartialResponsePolicy;
import dev.failover4j.RoutingStrategy;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of a {@code FailoverGroup}, and the only public door into this package besides the build-time
 * helpers ({@link Validation}, {@link FailoverHttpClientBuilder}). What the sync and the streaming model are both made of: validated targets, each with its health
 * and fitter, one planning core, listeners and redaction. Built once per model.
 */
public final class FailoverCore {

    private static final Logger log = LoggerFactory.getLogger("dev.failover4j.FailoverChatLanguageModel");

    private final List<FailoverTarget> targets;
    private final List<TargetRuntime> runtimes;
    private final FailoverExecutor executor;
    private final ListenerNotifier notifier;
    private final Redactor redactor;
    private final Clock clock;
    private final FailoverConfig config;
    /** Down/recovered alerts, when probes are on. */
    private final AlertTracker alerts;
    /** The probe settings, or null when probes are off. */
    private final Probes probes;
    /** How often probes run (a state may let one replica of a fleet probe per interval); the breaker delay without probes. */
    private final Duration probeInterval;

    public FailoverCore(
            List<FailoverTarget> targets,
            FailoverConfig config,
            FittingConfig fitting,
            Clock clock,
            List<FailoverListener> listeners,
            Function<FailoverTarget, List<String>> secretsOf,
            TargetStateFactory targetStates,
            RoutingStrategy routing,
            List<CanaryRamp> canaries,
            Probes probes,
            Hedging hedging) {
        this.targets = validated(targets);
        this.clock = clock;
        this.config = config;
        this.notifier = new ListenerNotifier(listeners);
        TrafficLog traffic = new TrafficLog(log, clock);
        List<String> secrets = new ArrayList<>();
        List<TargetRuntime> built = new ArrayList<>();
        for (FailoverTarget target : this.targets) {
            secrets.addAll(secretsOf.apply(target));
            LiveStats stats = new LiveStats(clock, target.price().orElse(null));
            TargetState state = targetStates.create(new TargetStateFactory.Context(target.name(), config, clock, (from, to) -> {
                traffic.flush(); // what led to the transition first
                long callId = CausingCall.get();
                log.info("target '{}' circuit {} -> {}{}", target.name(), from, to, callId == 0 ? "" : " (call " + callId + ")");
                stats.stateChanged(to);
                notifier.notify(new FailoverEvent.CircuitStateChanged(callId, target.name(), from, to));
            }));
            Objects.requireNonNull(state, () -> "the TargetStateFactory made no state for target '" + target.name() + "'");
            built.add(new TargetRuntime(target, state, new TargetFitter(target, fitting), stats, TargetBudget.of(target, targetStates, clock)));
        }
        this.runtimes = List.copyOf(built);
        this.redactor = new Redactor(secrets);
        for (CanaryRamp ramp : canaries) {
            startCanary(ramp);
        }
        this.probes = probes;
        this.probeInterval = probes == null ? config.breakerDelay() : probes.interval();
        this.alerts = probes == null ? null : new AlertTracker(probes.failuresBeforeAlert(), clock, notifier, redactor);
        if (alerts != null) {
            notifier.add(alerts);
        }
        this.executor = new FailoverExecutor(runtimes, config, fitting, clock, notifier, redactor, traffic, routing, hedging);
    }

    /** Stops what the core runs in the background (hedging threads); calls in flight finish. */
    public void close() {
        executor.close();
    }

    public List<FailoverTarget> targets() {
        return targets;
    }

    /** @throws IllegalArgumentException when the ramp's target is unknown or has no tier to share */
    private void startCanary(CanaryRamp ramp) {
        TargetRuntime canary = runtime(ramp.target());
        Integer tier = canary.target().priority().orElseThrow(() -> new IllegalArgumentException("the canary '" + ramp.target()
                + "' must share a tier with other targets: set priority(...) on the targets"));
        List<TargetRuntime> others = runtimes.stream().filter(r -> r != canary && r.target().priority().orElse(-1).equals(tier)).toList();
        if (others.isEmpty()) {
            throw new IllegalArgumentException("the canary '" + ramp.target() + "' is alone in its tier (priority " + tier + ")");
        }
        CanaryController controller = new CanaryController(ramp, canary, others, clock, notifier);
        notifier.add(controller);
        controller.start();
    }

    /** One sync call: the planning loop, attempts are {@code chatModel.chat(request)}. */
    public ChatResponse chat(ChatRequest request) {
        return executor.execute(request);
    }

    /** @return what runs one streaming call (on the caller's executor) with these options */
    public BiConsumer<ChatRequest, StreamingChatResponseHandler> streamer(
            Duration firstTokenTimeout, Duration idleTimeout, PartialResponsePolicy policy) {
        return new StreamingFailover(executor, firstTokenTimeout, idleTimeout, policy, redactor, clock)::run;
    }

    public void addListener(FailoverListener listener) {
        notifier.add(listener);
    }

    public boolean removeListener(FailoverListener listener) {
        return notifier.remove(listener);
    }

    /** @throws IllegalArgumentException when no target has that name or the weight is negative */
    public void setWeight(String targetName, int weight) {
        if (weight < 0) {
            throw new IllegalArgumentException("weight of target '" + targetName + "' must not be negative but was " + weight);
        }
        runtime(targetName).weight().set(weight);
    }

    /** @throws IllegalArgumentException when no target has that name */
    public void resetHealth(String targetName) {
        runtime(targetName).state().reset();
    }

    public List<TargetHealthSnapshot> health() {
        return runtimes.stream().map(TargetRuntime::snapshot).toList();
    }

    /** @throws IllegalArgumentException when no target has that name */
    private TargetRuntime runtime(String targetName) {
        return runtimes.stream()
                .filter(r -> r.name().equals(targetName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no target named '" + targetName + "'; targets are "
                        + targets.stream().map(FailoverTarget::name).toList()));
    }

    /**
     * One round of background checks: each target whose breaker is open (and not already on a last-resort
     * trial) gets one check; a success counts as a half-open trial success, a failure keeps it out. Off the
     * request path (the group's probe thread); never a target the breaker admits calls to, nor one its state says
     * another replica probes this interval ({@code TargetState.claimProbe}).
     */
    public void runProbes() {
        for (TargetRuntime runtime : runtimes) {
            boolean open = runtime.state().snapshot().circuitState() == dev.failover4j.CircuitState.OPEN;
            if (open) {
                if (runtime.state().claimProbe(probeInterval) && runtime.state().tryAcquireLastResortPermit()
                        && !probeOpen(runtime)) {
                    return; // interrupted: the group is closing
                }
            } else if (probes != null && probes.includesHealthy() && runtime.state().admission() == null) {
                if (!checkHealthy(runtime)) {
                    return;
                }
            }
        }
    }

    /** One check of an open target holding its last-resort permit. @return false when interrupted */
    private boolean probeOpen(TargetRuntime runtime) {
        TargetRuntime.Checked checked;
        try {
            checked = runtime.check(clock, config.attemptTimeout());
        } catch (RuntimeException | Error e) {
            runtime.state().recordLastResort(new dev.failover4j.spi.AttemptResult.Abandoned(java.time.Duration.ZERO));
            throw e;
        }
        if (checked == null) {
            runtime.state().recordLastResort(new dev.failover4j.spi.AttemptResult.Abandoned(java.time.Duration.ZERO));
            return false;
        }
        CausingCall.set(0);
        runtime.state().recordLastResort(checked.result());
        alert(runtime, checked);
        return true;
    }

    /** One check of a target the breaker admits calls to: it feeds the alerts only. @return false when interrupted */
    private boolean checkHealthy(TargetRuntime runtime) {
        TargetRuntime.Checked checked = runtime.check(clock, config.attemptTimeout());
        if (checked == null) {
            return false;
        }
        alert(runtime, checked);
        return true;
    }

    private void alert(TargetRuntime runtime, TargetRuntime.Checked checked) {
        if (alerts != null) {
            if (checked.result() instanceof dev.failover4j.spi.AttemptResult.Success) {
                alerts.succeeded(0, runtime.name());
            } else {
                alerts.failed(0, runtime.name(), checked.detail());
            }
        }
    }

    public boolean probe(String targetName) {
        return runtime(targetName).probe(clock, config.attemptTimeout());
    }

    /** @return the capabilities every target supports, given how to read one target's */
    public Set<Capability> commonCapabilities(Function<FailoverTarget, Set<Capability>> capabilitiesOf) {
        Set<Capability> common = EnumSet.allOf(Capability.class);
        for (FailoverTarget target : targets) {
            Set<Capability> own = capabilitiesOf.apply(target);
            common.retainAll(own == null ? Set.of() : own);
        }
        return Set.copyOf(common);
    }

    private static List<FailoverTarget> validated(List<FailoverTarget> targets) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("at least one target is required");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < targets.size(); i++) {
            FailoverTarget target = targets.get(i);
            if (target == null) {
                throw new IllegalArgumentException("targets[" + i + "] is null");
            }
            if (!names.add(target.name())) {
                throw new IllegalArgumentException("duplicate target name '" + target.name() + "'");
            }
        }
        return List.copyOf(targets);
    }
}
