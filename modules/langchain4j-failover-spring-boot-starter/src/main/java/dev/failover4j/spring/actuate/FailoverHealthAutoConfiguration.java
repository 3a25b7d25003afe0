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

/**
 * The {@code failover} health contributor, when the application has Spring Boot's health support (Actuator) and a
 * {@link FailoverGroup} bean; off with {@code management.health.failover.enabled=false}.
 */
@AutoConfiguration(after = FailoverAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(FailoverGroup.class)
@ConditionalOnEnabledHealthIndicator("failover")
public class FailoverHealthAutoConfiguration {

    /** @return the contributor, named {@code failover} after its bean */
    @Bean
    @ConditionalOnMissingBean(name = "failoverHealthIndicator")
    public FailoverHealthIndicator failoverHealthIndicator(FailoverGroup group) {
        return new FailoverHealthIndicator(group);
    }
}
