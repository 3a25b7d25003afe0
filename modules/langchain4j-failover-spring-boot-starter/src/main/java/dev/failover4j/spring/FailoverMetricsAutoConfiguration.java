package dev.failover4j.spring;

import dev.failover4j.FailoverGroup;
import dev.failover4j.micrometer.FailoverMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Meters for the failover group when the application has {@code langchain4j-failover-micrometer} and a
 * {@link MeterRegistry} (e.g. Spring Boot Actuator's): a {@link FailoverMetrics} bean, a {@code MeterBinder} that
 * Spring Boot binds to its registries. Backs off when the application defines its own {@code FailoverMetrics}.
 */
@AutoConfiguration(after = FailoverAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration"})
@ConditionalOnClass({FailoverMetrics.class, MeterRegistry.class})
@ConditionalOnBean({FailoverGroup.class, MeterRegistry.class})
public class FailoverMetricsAutoConfiguration {

    /** @return the group's meters, bound by Spring Boot to its meter registries and closed with the context */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public FailoverMetrics failoverMetrics(FailoverGroup group) {
        return new FailoverMetrics(group);
    }
}
