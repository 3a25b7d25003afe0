package dev.failover4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.micrometer.FailoverMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class FailoverMetricsAutoConfigurationTest {

    private static final ChaosTargets servers = new ChaosTargets();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FailoverAutoConfiguration.class, FailoverMetricsAutoConfiguration.class))
            .withPropertyValues(servers.properties());

    private final ApplicationContextRunner withBootMetrics = runner.withConfiguration(AutoConfigurations.of(
            MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class));

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @Test
    void should_count_calls_in_spring_boots_registry_when_there_is_one() {
        withBootMetrics.run(context -> {
            // when
            context.getBean(dev.langchain4j.model.chat.ChatModel.class).chat(FailoverAutoConfigurationTest.request());

            // then: bound once (one listener), so one call counts once
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(context).hasSingleBean(FailoverMetrics.class);
            assertThat(registry.get(FailoverMetrics.CALLS).tag("outcome", "served").counter().count()).isEqualTo(1.0);
            assertThat(registry.get(FailoverMetrics.CIRCUIT_STATE).tag("target", "secondary").gauge().value()).isZero();
        });
    }

    @Test
    void should_bind_to_the_applications_registry_when_it_defines_one() {
        withBootMetrics.withUserConfiguration(OwnRegistry.class).run(context -> {
            context.getBean(dev.langchain4j.model.chat.ChatModel.class).chat(FailoverAutoConfigurationTest.request());
            assertThat(OwnRegistry.REGISTRY.get(FailoverMetrics.ATTEMPTS).tag("target", "primary").counter().count())
                    .isEqualTo(1.0);
        });
    }

    @Test
    void should_not_bind_when_there_is_no_registry() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FailoverMetrics.class));
    }

    @Test
    void should_not_bind_when_the_micrometer_module_is_absent() {
        withBootMetrics.withClassLoader(new FilteredClassLoader(FailoverMetrics.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FailoverMetrics.class));
    }

    @Test
    void should_back_off_when_the_application_binds_its_own_metrics() {
        withBootMetrics.withUserConfiguration(OwnMetrics.class).run(context -> {
            assertThat(context).hasSingleBean(FailoverMetrics.class);
            assertThat(context.getBean(FailoverMetrics.class).toString()).contains("group=mine");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRegistry {
        static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();

        @Bean
        MeterRegistry myRegistry() {
            return REGISTRY;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMetrics {
        @Bean
        FailoverMetrics myMetrics(dev.failover4j.FailoverGroup group) {
            return new FailoverMetrics(group, io.micrometer.core.instrument.Tags.of("group", "mine"));
        }
    }
}
