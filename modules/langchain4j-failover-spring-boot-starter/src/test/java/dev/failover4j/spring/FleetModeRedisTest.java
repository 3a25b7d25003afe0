package dev.failover4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.failover4j.CircuitState;
import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverTarget;
import dev.failover4j.SkipReason;
import dev.failover4j.health.TargetHealthSnapshot;
import dev.failover4j.redis.RedisTargetState;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter against a real {@code redis-server} requiring a password: the auto-configured group's target state
 * is the Redis one. Another replica (a plain group on its own {@code RedisTargetState}, same namespace) gets a 401
 * from the primary; the starter's group, which never called it, sees the primary disabled and skips it. The
 * password is in no log line.
 */
class FleetModeRedisTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PASSWORD = "s3cret-REDIS-pass-7f1c";

    private final ChaosTargets servers = new ChaosTargets();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FailoverAutoConfiguration.class));
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger failover = (Logger) LoggerFactory.getLogger("dev.failover4j");
    private Level before;
    private RedisServer redis;

    @BeforeEach
    void start() {
        redis = RedisServer.start(PASSWORD);
        before = failover.getLevel();
        failover.setLevel(Level.DEBUG);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stop() {
        root.detachAppender(logs);
        failover.setLevel(before);
        servers.close();
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void should_share_target_state_through_redis_when_the_uri_is_set() {
        runner.withPropertyValues(servers.properties("langchain4j.failover.redis.uri=${REDIS_URL}", "REDIS_URL=" + redis.uri(),
                "spring.application.name=shop", "langchain4j.failover.max-retries=0")).run(context -> {
            // given: the starter's replica is connected (AUTH with the password from the URI)
            assertThat(context).hasNotFailed();
            RedisTargetState fleet = context.getBean(RedisTargetState.class);
            FailoverGroup group = context.getBean(FailoverGroup.class);
            await(fleet::isSharing, "the starter's RedisTargetState shares through Redis");
            assertThat(fleet.getNamespace()).isEqualTo("shop");

            try (RedisTargetState otherFleet = RedisTargetState.using(redis.uri()).namespace("shop");
                 FailoverGroup other = FailoverGroup.builder().targets(target(servers.primary), target(servers.secondary))
                         .config(FailoverConfig.builder().maxRetries(0).build()).targetStates(otherFleet).build()) {
                await(otherFleet::isSharing, "the other replica shares through Redis");
                servers.primary.inject(Fault.authenticationFailed());

                // when: the other replica's call gets a 401 from the primary
                String servedOther = ((FailoverChatResponseMetadata) other.chatModel().chat(UserMessage.from("hi from other"))
                        .metadata()).targetName();

                // then: the starter's group, which has made no call, sees the primary disabled fleet-wide
                assertThat(servedOther).isEqualTo("secondary");
                await(() -> health(group, "primary").circuitState() == CircuitState.OPEN,
                        "the starter's group sees the primary opened by the other replica");
                assertThat(health(group, "primary").openReason()).isEqualTo(SkipReason.AUTHENTICATION_FAILED);
                int primaryRequests = servers.primary.requestCount();
                String served = ((FailoverChatResponseMetadata) context.getBean(ChatModel.class)
                        .chat(UserMessage.from("hi from the starter")).metadata()).targetName();
                assertThat(served).isEqualTo("secondary");
                assertThat(servers.primary.requestCount()).isEqualTo(primaryRequests);
                assertThat(redis.cli("--scan", "--pattern", "shop:*")).contains("shop:{primary}:");
            }
        });

        // then: closed with the context; the password is in no log line
        String logged = logs.list.stream().map(e -> e.getFormattedMessage() + " " + (e.getThrowableProxy() == null ? ""
                : e.getThrowableProxy().getMessage())).collect(Collectors.joining("\n"));
        assertThat(logged).doesNotContain(PASSWORD).doesNotContain(ChaosTargets.PRIMARY_KEY);
    }

    private FailoverTarget target(ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(server == servers.primary ? "primary" : "secondary").baseUrl(server.baseUrl())
                .apiKey("sk-test-other-replica-0a1b2c3d").modelName("gpt-4o-mini").contextWindowTokens(16000).build();
    }

    private static TargetHealthSnapshot health(FailoverGroup group, String target) {
        return group.health().stream().filter(h -> h.target().equals(target)).findFirst().orElseThrow();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) { // bounded: at most WAIT
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
