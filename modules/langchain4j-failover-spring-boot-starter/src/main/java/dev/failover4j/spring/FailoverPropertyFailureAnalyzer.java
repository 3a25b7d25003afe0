package dev.failover4j.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link FailoverPropertyException} into Spring Boot's "APPLICATION FAILED TO START" report: the property
 * and the problem (never its value), and what to change. Registered in {@code META-INF/spring.factories}.
 */
public final class FailoverPropertyFailureAnalyzer extends AbstractFailureAnalyzer<FailoverPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, FailoverPropertyException cause) {
        return new FailureAnalysis("The failover configuration is invalid: " + cause.getMessage(),
                "Fix " + cause.property() + " (in application.yaml/properties or the environment variable it refers to), "
                        + "or set " + FailoverProperties.PREFIX + ".enabled=false to configure the failover group yourself.",
                cause);
    }
}
