package dev.failover4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover4j.FailoverGroup;
import dev.failover4j.redis.RedisTargetState;
import dev.failover4j.spi.TargetStateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code langchain4j.failover.redis.*}: a {@link RedisTargetState} bean given to the group when the uri is set and
 * the module is present; none otherwise; a failure naming the property and the dependency when the module is absent.
 * Redis here is unreachable (Redis is optional at run time: the context starts); {@link FleetModeRedisTest} runs a
 * real one.
 */
class FleetModeTest {

    private static final ChaosTargets servers = new ChaosTargets();
    private static final String PASSWORD = "hunter2-REDIS-SECRET";
    private static final String URI = "langchain4j.failover.redis.uri";
    /** Nothing listens there: the fleet logs Redis unavailable and the group runs on its own state. */
    private static final String UNREACHABLE = "redis://:" + PASSWORD + "@127.0.0.1:" + RedisServer.freePort();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FailoverAutoConfiguration.class))
            .withPropertyValues(servers.properties());

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @Test
    void should_give_a_redis_target_state_to_the_group_when_the_uri_is_set() {
        runner.withPropertyValues(URI + "=" + UNREACHABLE).run(context -> {
            // then
            assertThat(context).hasNotFailed().hasSingleBean(RedisTargetState.class).hasSingleBean(FailoverGroup.class)
                    .hasBean("failoverRedisTargetState");
            RedisTargetState fleet = context.getBean(RedisTargetState.class);
            assertThat(fleet.getNamespace()).isEqualTo("langchain4j-failover");
            assertThat(fleet).extracting("commandTimeout").isEqualTo(RedisTargetState.DEFAULT_COMMAND_TIMEOUT);
            assertThat(fleet).extracting("syncInterval").isEqualTo(RedisTargetState.DEFAULT_SYNC_INTERVAL);
            // the group made its targets' states with it: it is in use, so it can no longer be configured
            assertThatThrownBy(() -> fleet.namespace("other")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use");
            assertThat(fleet.toString()).doesNotContain(PASSWORD);
            assertThat(context.getBean(FailoverProperties.class).toString()).contains("redis").doesNotContain(PASSWORD);
        });
    }

    @Test
    void should_apply_every_redis_property_when_they_are_set() {
        runner.withPropertyValues(URI + "=" + UNREACHABLE, "langchain4j.failover.redis.namespace=shop",
                "langchain4j.failover.redis.command-timeout=250ms", "langchain4j.failover.redis.sync-interval=2s").run(context -> {
            // then
            RedisTargetState fleet = context.getBean(RedisTargetState.class);
            assertThat(fleet.getNamespace()).isEqualTo("shop");
            assertThat(fleet).extracting("commandTimeout").isEqualTo(Duration.ofMillis(250));
            assertThat(fleet).extracting("syncInterval").isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void should_name_the_namespace_after_the_application_when_no_namespace_is_set() {
        runner.withPropertyValues(URI + "=" + UNREACHABLE, "spring.application.name=checkout-service")
                .run(context -> assertThat(context.getBean(RedisTargetState.class).getNamespace()).isEqualTo("checkout-service"));
        runner.withPropertyValues(URI + "=" + UNREACHABLE, "spring.application.name=checkout-service",
                "langchain4j.failover.redis.namespace=shared")
                .run(context -> assertThat(context.getBean(RedisTargetState.class).getNamespace()).isEqualTo("shared"));
    }

    @Test
    void should_resolve_the_uri_when_it_is_a_placeholder_that_is_set() {
        runner.withPropertyValues(URI + "=${REDIS_URL}", "REDIS_URL=" + UNREACHABLE)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RedisTargetState.class));
    }

    @Test
    void should_keep_state_in_memory_when_the_uri_is_not_set_or_blank() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisTargetState.class)
                .hasSingleBean(FailoverGroup.class));
        // ${REDIS_URL:} with REDIS_URL unset: off
        runner.withPropertyValues(URI + "=${REDIS_URL_NOT_SET_ANYWHERE:}")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisTargetState.class));
        runner.withPropertyValues(URI + "=  ")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisTargetState.class));
    }

    @Test
    void should_close_the_redis_target_state_when_the_context_closes() {
        // given
        AtomicReference<RedisTargetState> fleet = new AtomicReference<>();

        // when
        runner.withPropertyValues(URI + "=" + UNREACHABLE).run(context -> {
            fleet.set(context.getBean(RedisTargetState.class));
            assertThat(context.getBean(FailoverGroup.class).isClosed()).isFalse();
        });

        // then
        assertThatThrownBy(() -> fleet.get().create(new TargetStateFactory.Context("t", dev.failover4j.FailoverConfig.defaults(),
                java.time.Clock.systemUTC(), (from, to) -> { }))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void should_use_the_applications_redis_target_state_when_it_defines_one() {
        runner.withPropertyValues(URI + "=" + UNREACHABLE).withUserConfiguration(OwnRedisTargetState.class).run(context -> {
            // then
            assertThat(context).hasSingleBean(RedisTargetState.class).doesNotHaveBean("failoverRedisTargetState");
            assertThat(context.getBean(RedisTargetState.class).getNamespace()).isEqualTo("mine");
        });
    }

    @Test
    void should_give_the_applications_target_state_factory_to_the_group_when_it_defines_one() {
        runner.withPropertyValues(URI + "=" + UNREACHABLE).withUserConfiguration(OwnTargetStates.class).run(context -> {
            // then: the application's factory made both targets' states; the starter's Redis one backed off
            assertThat(context).hasNotFailed().doesNotHaveBean(RedisTargetState.class);
            assertThat(context.getBean(OwnTargetStates.class).created).containsExactly("primary", "secondary");
        });
    }

    @Test
    void should_fail_startup_naming_the_property_and_the_dependency_when_the_redis_module_is_absent() {
        runner.withClassLoader(new FilteredClassLoader(RedisTargetState.class)).withPropertyValues(URI + "=" + UNREACHABLE)
                .run(context -> {
                    // then
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    assertThat(failure).rootCause().isInstanceOf(FailoverPropertyException.class)
                            .hasMessageStartingWith(URI + ": ").hasMessageContaining("langchain4j-failover-redis")
                            .hasMessageContaining("dev.failover4j:langchain4j-failover-redis");
                    assertThat(StartupValidationTest.everythingPrinted(failure)).doesNotContain(PASSWORD);
                    FailureAnalysis analysis = new FailoverPropertyFailureAnalyzer().analyze(failure);
                    assertThat(analysis.getDescription()).contains(URI, "langchain4j-failover-redis").doesNotContain(PASSWORD);
                    assertThat(analysis.getAction()).contains("Fix " + URI).doesNotContain(PASSWORD);
                });
    }

    @Test
    void should_start_without_the_redis_module_when_the_uri_is_not_set() {
        runner.withClassLoader(new FilteredClassLoader(RedisTargetState.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(FailoverGroup.class)
                        .doesNotHaveBean("failoverRedisTargetState"));
    }

    /** property (under langchain4j.failover.redis.), value, the path reported, what the message says */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "uri | ${REDIS_URL_NOT_SET_ANYWHERE} | uri | unresolved",
            "uri | http://user:hunter2-REDIS-SECRET@example.com | uri | not a Redis URI",
            "namespace | my:app | namespace | 'my:app'",
            "namespace | ' ' | namespace | non-blank",
            "command-timeout | 0s | command-timeout | commandTimeout must be positive",
            "sync-interval | -1s | sync-interval | syncInterval must be positive",
    })
    void should_fail_startup_naming_the_property_when_a_redis_value_cannot_work(String property, String value, String reported,
            String problem) {
        String uri = property.equals("uri") ? value : UNREACHABLE;
        runner.withPropertyValues(URI + "=" + uri).withPropertyValues("langchain4j.failover.redis." + property + "=" + value)
                .run(context -> {
                    // then
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    assertThat(failure).rootCause().isInstanceOf(FailoverPropertyException.class)
                            .hasMessageStartingWith("langchain4j.failover.redis." + reported + ": ").hasMessageContaining(problem);
                    assertThat(StartupValidationTest.everythingPrinted(failure)).doesNotContain(PASSWORD);
                });
    }

    @Test
    void should_fail_startup_naming_the_namespace_when_the_application_name_cannot_be_one() {
        runner.withPropertyValues(URI + "=" + UNREACHABLE, "spring.application.name=Checkout Service").run(context -> {
            // then
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(FailoverPropertyException.class)
                    .hasMessageStartingWith("langchain4j.failover.redis.namespace: ")
                    .hasMessageContaining("spring.application.name");
        });
    }

    @Test
    void should_mask_the_password_when_the_uri_is_shown() {
        assertThat(RedisUris.masked("rediss://user:p@ss/word@redis.internal:6380/2")).isEqualTo("rediss://****@redis.internal:6380/2");
        assertThat(RedisUris.masked("redis://redis.internal:6379")).isEqualTo("redis://redis.internal:6379");
        assertThat(RedisUris.masked("it was 'redis://:s%40cret@h' (s@cret)", "redis://:s%40cret@h"))
                .doesNotContain("s%40cret").doesNotContain("s@cret");
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRedisTargetState {

        @Bean
        RedisTargetState ownFleet() {
            return RedisTargetState.using("redis://127.0.0.1:" + RedisServer.freePort()).namespace("mine");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTargetStates {

        final List<String> created = new CopyOnWriteArrayList<>();

        @Bean
        TargetStateFactory ownTargetStates() {
            TargetStateFactory memory = TargetStateFactory.inMemory();
            return context -> {
                created.add(context.target());
                return memory.create(context);
            };
        }
    }
}
