package dev.failover4j.spring;

import dev.failover4j.Alerts;
import dev.failover4j.CanaryRamp;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverListener;
import dev.failover4j.FittingConfig;
import dev.failover4j.Hedging;
import dev.failover4j.Probes;
import dev.failover4j.RoutingStrategy;
import dev.failover4j.StreamingOptions;
import dev.failover4j.spi.TargetStateFactory;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import java.util.List;

/**
 * Applies {@code langchain4j.failover.*} to a {@link FailoverGroup.Builder}. Each setting is handed to the library
 * on its own, so that a value it rejects is reported under its own property path; settings left out keep the
 * library's defaults.
 */
final class GroupFactory {

    private static final String P = FailoverProperties.PREFIX + ".";

    private GroupFactory() {}

    /**
     * @param targetStates where the targets' state lives ({@code langchain4j.failover.redis.*}'s
     *                     {@code RedisTargetState}, or the application's own), or null: in memory
     */
    static FailoverGroup build(FailoverProperties properties, TargetStateFactory targetStates,
            List<FailoverTargetCustomizer> targetCustomizers, List<FailoverListener> listeners,
            List<ChatModelListener> chatModelListeners, List<FailoverGroupCustomizer> customizers) {
        FailoverGroup.Builder builder = FailoverGroup.builder()
                .targets(TargetFactory.build(properties.targets(), targetCustomizers))
                .routing(routing(properties))
                .listeners(chatModelListeners);
        if (targetStates != null) {
            builder.targetStates(targetStates);
        }
        config(properties, builder);
        fitting(properties.fitting(), builder);
        hedging(properties.hedging(), builder);
        probes(properties, builder);
        listeners.forEach(builder::listener);
        for (int i = 0; i < properties.canaries().size(); i++) {
            builder.canary(canary(properties.canaries().get(i), P + "canaries[" + i + "]"));
        }
        customizers.forEach(customizer -> customizer.customize(builder));
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new FailoverPropertyException(FailoverProperties.PREFIX, String.valueOf(e.getMessage()));
        }
    }

    static StreamingOptions streamingOptions(FailoverProperties.Streaming streaming) {
        String path = P + "streaming.";
        StreamingOptions.Builder builder = StreamingOptions.builder();
        if (streaming.firstTokenTimeout() != null) {
            apply(path + "first-token-timeout", () -> StreamingOptions.builder().firstTokenTimeout(streaming.firstTokenTimeout()).build());
            builder.firstTokenTimeout(streaming.firstTokenTimeout());
        }
        if (streaming.idleTimeout() != null) {
            apply(path + "idle-timeout", () -> StreamingOptions.builder().idleTimeout(streaming.idleTimeout()).build());
            builder.idleTimeout(streaming.idleTimeout());
        }
        if (streaming.partialResponsePolicy() != null) {
            builder.partialResponsePolicy(streaming.partialResponsePolicy());
        }
        StreamingOptions[] options = new StreamingOptions[1];
        apply(P + "streaming", () -> options[0] = builder.build());
        return options[0];
    }

    private static RoutingStrategy routing(FailoverProperties properties) {
        Double rate = properties.leastLatencyExploration();
        if (rate != null && !(rate >= 0 && rate <= 1)) {
            throw new FailoverPropertyException(P + "least-latency-exploration", "must be in [0, 1] but was " + rate);
        }
        return switch (properties.routing()) {
            case PRIORITY -> RoutingStrategy.priority();
            case ROUND_ROBIN -> RoutingStrategy.roundRobin();
            case WEIGHTED -> RoutingStrategy.weighted();
            case LOWEST_COST -> RoutingStrategy.lowestCost();
            case LEAST_LATENCY -> rate == null ? RoutingStrategy.leastLatency() : RoutingStrategy.leastLatency(rate);
        };
    }

    private static void config(FailoverProperties p, FailoverGroup.Builder group) {
        setting(group, P + "deadline", p.deadline(), (b, v) -> b.deadline(v));
        setting(group, P + "attempt-timeout", p.attemptTimeout(), (b, v) -> b.attemptTimeout(v));
        setting(group, P + "max-retries", p.maxRetries(), (b, v) -> b.maxRetries(v));
        setting(group, P + "max-connection-retries", p.maxConnectionRetries(), (b, v) -> b.maxConnectionRetries(v));
        FailoverProperties.Backoff backoff = p.backoff();
        if (backoff.initial() != null || backoff.max() != null) {
            setting(group, P + "backoff", backoff, (b, v) -> b.backoff(
                    v.initial() != null ? v.initial() : FailoverConfig.DEFAULT_INITIAL_BACKOFF,
                    v.max() != null ? v.max() : FailoverConfig.DEFAULT_MAX_BACKOFF));
        }
        setting(group, P + "backoff.factor", backoff.factor(), (b, v) -> b.backoffFactor(v));
        setting(group, P + "backoff.jitter", backoff.jitter(), (b, v) -> b.jitter(v));
        FailoverProperties.Breaker breaker = p.breaker();
        setting(group, P + "breaker.consecutive-failures", breaker.consecutiveFailures(),
                (b, v) -> b.consecutiveFailureThreshold(v));
        if (breaker.failureRateThreshold() != null || breaker.failureRateWindow() != null) {
            setting(group, P + "breaker.failure-rate-threshold", breaker, (b, v) -> b.failureRateThreshold(
                    v.failureRateThreshold() != null ? v.failureRateThreshold() : FailoverConfig.DEFAULT_FAILURE_RATE_THRESHOLD,
                    v.failureRateWindow() != null ? v.failureRateWindow() : FailoverConfig.DEFAULT_FAILURE_RATE_WINDOW));
        }
        setting(group, P + "breaker.delay", breaker.delay(), (b, v) -> b.breakerDelay(v));
        setting(group, P + "breaker.half-open-successes", breaker.halfOpenSuccesses(), (b, v) -> b.halfOpenSuccessThreshold(v));
        FailoverProperties.Cooldown cooldown = p.cooldown();
        setting(group, P + "cooldown.rate-limit", cooldown.rateLimit(), (b, v) -> b.rateLimitCooldown(v));
        setting(group, P + "cooldown.max-retry-after", cooldown.maxRetryAfter(), (b, v) -> b.maxRetryAfter(v));
        setting(group, P + "cooldown.model-not-found", cooldown.modelNotFound(), (b, v) -> b.modelNotFoundCooldown(v));
        setting(group, P + "cooldown.region-blocked", cooldown.regionBlocked(), (b, v) -> b.regionBlockedCooldown(v));
    }

    /** One setting as a {@link FailoverConfig} of its own: the group merges only the settings a config names. */
    private static <T> void setting(FailoverGroup.Builder group, String path, T value,
            java.util.function.BiConsumer<FailoverConfig.Builder, T> setter) {
        if (value == null) {
            return;
        }
        apply(path, () -> {
            FailoverConfig.Builder one = FailoverConfig.builder();
            setter.accept(one, value);
            group.config(one.build());
        });
    }

    private static void fitting(FailoverProperties.Fitting fitting, FailoverGroup.Builder group) {
        FittingConfig.Builder builder = FittingConfig.builder();
        apply(P + "fitting.default-reserved-output-tokens", () -> {
            if (fitting.strategy() != null) {
                builder.strategy(fitting.strategy());
            }
            if (fitting.defaultReservedOutputTokens() != null) {
                builder.defaultReservedOutputTokens(fitting.defaultReservedOutputTokens());
            }
            if (fitting.startWithUserMessage() != null) {
                builder.startWithUserMessage(fitting.startWithUserMessage());
            }
            group.fitting(builder.build());
        });
    }

    private static void hedging(FailoverProperties.Hedging hedging, FailoverGroup.Builder group) {
        String path = P + "hedging";
        if (hedging.delay() != null && hedging.percentile() != null) {
            throw new FailoverPropertyException(path, "sets both delay and percentile; set delay for a fixed delay, or "
                    + "percentile (with floor and ceiling) for one that follows the target's latency");
        }
        if (hedging.delay() == null && hedging.percentile() == null) {
            String setting = hedging.floor() != null ? "floor" : hedging.ceiling() != null ? "ceiling"
                    : hedging.maxExtraLoad() != null ? "max-extra-load" : null;
            if (setting != null) {
                throw new FailoverPropertyException(path + "." + setting, "has no effect without " + path + ".delay or "
                        + path + ".percentile; set one of them to turn hedging on");
            }
            return;
        }
        Hedging[] settings = new Hedging[1];
        if (hedging.delay() != null) {
            String bound = hedging.floor() != null ? "floor" : hedging.ceiling() != null ? "ceiling" : null;
            if (bound != null) {
                throw new FailoverPropertyException(path + "." + bound, "applies to " + path + ".percentile, not to a fixed "
                        + path + ".delay; remove it, or set percentile instead of delay");
            }
            apply(path + ".delay", () -> settings[0] = Hedging.after(hedging.delay()));
        } else {
            apply(path + ".percentile", () -> settings[0] = Hedging.atPercentile(hedging.percentile()));
            // each bound is checked against the other's current value: a floor above the default ceiling needs the
            // ceiling set first
            boolean ceilingFirst = hedging.floor() != null && hedging.ceiling() != null
                    && hedging.floor().compareTo(Hedging.DEFAULT_CEILING) > 0;
            if (ceilingFirst) {
                apply(path + ".ceiling", () -> settings[0] = settings[0].ceiling(hedging.ceiling()));
            }
            if (hedging.floor() != null) {
                apply(path + ".floor", () -> settings[0] = settings[0].floor(hedging.floor()));
            }
            if (hedging.ceiling() != null && !ceilingFirst) {
                apply(path + ".ceiling", () -> settings[0] = settings[0].ceiling(hedging.ceiling()));
            }
        }
        if (hedging.maxExtraLoad() != null) {
            apply(path + ".max-extra-load", () -> settings[0] = settings[0].maxExtraLoad(hedging.maxExtraLoad()));
        }
        group.hedging(settings[0]);
    }

    private static void probes(FailoverProperties properties, FailoverGroup.Builder group) {
        FailoverProperties.Probes probes = properties.probes();
        if (probes.interval() != null) {
            Probes[] settings = new Probes[1];
            apply(P + "probes.interval", () -> settings[0] = Probes.every(probes.interval()));
            if (probes.failuresBeforeAlert() != null) {
                apply(P + "probes.failures-before-alert", () -> settings[0] = settings[0].failuresBeforeAlert(probes.failuresBeforeAlert()));
            }
            if (probes.includeHealthy()) {
                settings[0] = settings[0].includeHealthy();
            }
            group.probes(settings[0]);
        } else if (probes.failuresBeforeAlert() != null) {
            throw new FailoverPropertyException(P + "probes.failures-before-alert", "has no effect without " + P
                    + "probes.interval; set the interval to turn probes on");
        } else if (probes.includeHealthy()) {
            throw new FailoverPropertyException(P + "probes.include-healthy", "has no effect without " + P
                    + "probes.interval; set the interval to turn probes on");
        }
        if (properties.alerts().logging()) {
            group.listener(Alerts.logging());
        }
        if (properties.alerts().webhookUrl() != null) {
            apply(P + "alerts.webhook-url", () -> {
                String scheme = properties.alerts().webhookUrl().getScheme();
                if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                    throw new IllegalArgumentException("must be an http(s) URL");
                }
                group.listener(Alerts.webhook(properties.alerts().webhookUrl()));
            });
        }
    }

    private static CanaryRamp canary(FailoverProperties.Canary canary, String path) {
        if (canary.target() == null || canary.target().isBlank()) {
            throw new FailoverPropertyException(path + ".target", "is required: the name of the new target");
        }
        CanaryRamp.Builder builder = CanaryRamp.builder(canary.target());
        CanaryRamp[] ramp = new CanaryRamp[1];
        apply(path, () -> {
            if (canary.steps() != null) {
                builder.steps(canary.steps().stream().mapToInt(Integer::intValue).toArray());
            }
            if (canary.stepDuration() != null) {
                builder.stepDuration(canary.stepDuration());
            }
            if (canary.maxErrorRate() != null) {
                builder.maxErrorRate(canary.maxErrorRate());
            }
            if (canary.minAttemptsPerStep() != null) {
                builder.minAttemptsPerStep(canary.minAttemptsPerStep());
            }
            ramp[0] = builder.build();
        });
        return ramp[0];
    }

    /** Runs a step of the library's builders; what it rejects is reported under {@code path}. */
    private static void apply(String path, Runnable step) {
        try {
            step.run();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new FailoverPropertyException(path, String.valueOf(e.getMessage()));
        }
    }

}
