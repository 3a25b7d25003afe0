package dev.failover4j.spring.actuate;

import dev.failover4j.FailoverGroup;
import dev.failover4j.spring.FailoverAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code failover} health contributor, when the application has Spring Boot's health support (Actuator) and a
 * {@link FailoverGroup} bean; off with {@code management.health.failover.enabled=false}.
 */
@AutoConfiguration(after = FailoverAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
public class FailoverHealthAutoConfiguration {

    /** Nested, so that its conditions are read only when the health classes are there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(FailoverGroup.class)
    @ConditionalOnEnabledHealthIndicator("failover")
    static class HealthConfiguration {

        /** The contributor, named {@code failover} after its bean. */
        @Bean
        @ConditionalOnMissingBean(name = "failoverHealthIndicator")
        FailoverHealthIndicator failoverHealthIndicator(FailoverGroup group) {
            return new FailoverHealthIndicator(group);
        }
    }
}
