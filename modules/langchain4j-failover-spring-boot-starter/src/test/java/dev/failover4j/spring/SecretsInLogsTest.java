package dev.failover4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.model.chat.ChatModel;
import dev.failover4j.redis.RedisTargetState;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What the starter and the library log, at DEBUG, while a context starts, serves, fails over and fails to start. */
class SecretsInLogsTest {

    private static final ChaosTargets servers = new ChaosTargets();

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @Test
    void should_log_no_key_when_calls_fail_over_and_a_start_fails() {
        // given
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger failover = (Logger) LoggerFactory.getLogger("dev.failover4j");
        Level before = failover.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        failover.setLevel(Level.DEBUG);
        servers.primary.inject(Fault.authenticationFailed());
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FailoverAutoConfiguration.class));
        try {
            // when: a 401 on the primary (logged at WARN), a call served by the secondary, then a start that fails
            runner.withPropertyValues(servers.properties("langchain4j.failover.alerts.logging=true",
                    "langchain4j.failover.probes.interval=1h", "langchain4j.failover.probes.failures-before-alert=1"))
                    .run(context -> context.getBean(ChatModel.class).chat(FailoverAutoConfigurationTest.request()));
            runner.withPropertyValues(servers.properties("langchain4j.failover.targets[1].name=primary"))
                    .run(context -> assertThat(context).hasFailed());
        } finally {
            root.detachAppender(logs);
            failover.setLevel(before);
            servers.reset();
        }

        // then
        String logged = logs.list.stream().map(e -> e.getFormattedMessage() + " " + (e.getThrowableProxy() == null ? ""
                : e.getThrowableProxy().getMessage())).collect(Collectors.joining("\n"));
        assertThat(logged).contains("primary").doesNotContain(ChaosTargets.PRIMARY_KEY)
                .doesNotContain(ChaosTargets.SECONDARY_KEY);
    }

    @Test
    void should_log_no_redis_password_when_redis_is_unreachable_and_when_a_start_fails() {
        // given: the fleet's and Lettuce's loggers at DEBUG
        String password = "hunter2-REDIS-SECRET-5e6f";
        String uri = "redis://:" + password + "@127.0.0.1:" + RedisServer.freePort();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger failover = (Logger) LoggerFactory.getLogger("dev.failover4j");
        Logger lettuce = (Logger) LoggerFactory.getLogger("io.lettuce");
        Level failoverBefore = failover.getLevel();
        Level lettuceBefore = lettuce.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        failover.setLevel(Level.DEBUG);
        lettuce.setLevel(Level.DEBUG);
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FailoverAutoConfiguration.class));
        try {
            // when: a start with Redis unreachable (it starts: Redis is optional at run time), a call, then starts
            // that fail (a bad namespace; the uri without the redis module)
            runner.withPropertyValues(servers.properties("langchain4j.failover.redis.uri=" + uri)).run(context -> {
                assertThat(context).hasNotFailed();
                context.getBean(ChatModel.class).chat(FailoverAutoConfigurationTest.request());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (logs.list.stream().noneMatch(e -> e.getFormattedMessage().contains("is unavailable"))
                        && System.nanoTime() < deadline) { // bounded: 10 s
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
            });
            runner.withPropertyValues(servers.properties("langchain4j.failover.redis.uri=" + uri,
                    "langchain4j.failover.redis.namespace=a:b")).run(context -> assertThat(context).hasFailed());
            runner.withClassLoader(new FilteredClassLoader(RedisTargetState.class))
                    .withPropertyValues(servers.properties("langchain4j.failover.redis.uri=" + uri))
                    .run(context -> assertThat(context).hasFailed());
        } finally {
            root.detachAppender(logs);
            failover.setLevel(failoverBefore);
            lettuce.setLevel(lettuceBefore);
            servers.reset();
        }

        // then
        String logged = logs.list.stream().map(e -> e.getFormattedMessage() + " " + (e.getThrowableProxy() == null ? ""
                : e.getThrowableProxy().getMessage())).collect(Collectors.joining("\n"));
        assertThat(logged).contains("fleet state: Redis at 127.0.0.1:").contains("is unavailable").doesNotContain(password);
    }
}
