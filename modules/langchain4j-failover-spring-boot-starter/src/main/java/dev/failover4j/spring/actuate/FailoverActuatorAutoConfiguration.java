package dev.failover4j.spring.actuate;

import dev.failover4j.FailoverGroup;
import dev.failover4j.spring.FailoverAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code failover} actuator endpoint, when the application has Spring Boot Actuator, a {@link FailoverGroup}
 * bean, and the endpoint is available ({@code management.endpoints.web.exposure.include=failover}, or JMX).
 */
@AutoConfiguration(after = FailoverAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
public class FailoverActuatorAutoConfiguration {

    /** Nested, so that its conditions are read only when Actuator's classes are there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(FailoverGroup.class)
    @ConditionalOnAvailableEndpoint(FailoverEndpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        FailoverEndpoint failoverEndpoint(FailoverGroup group) {
            return new FailoverEndpoint(group);
        }
    }
}
