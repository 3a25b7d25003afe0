package dev.failover4j.spring;

import dev.failover4j.FailoverGroup;

/**
 * A bean that adjusts the auto-configured group's builder after the properties were applied and before it is
 * built: a custom {@code RoutingStrategy} lambda, a {@code TargetStateFactory} (fleet mode), an executor, a clock,
 * more targets. Customizers run in {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface FailoverGroupCustomizer {

    /** @param builder the group's builder, with the properties applied */
    void customize(FailoverGroup.Builder builder);
}
