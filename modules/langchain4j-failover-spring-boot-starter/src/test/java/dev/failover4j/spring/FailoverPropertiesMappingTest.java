package dev.failover4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverListener;
import dev.failover4j.FailoverStreamingChatLanguageModel;
import dev.failover4j.FailoverTarget;
import dev.failover4j.FitStrategy;
import dev.failover4j.FittingConfig;
import dev.failover4j.PartialResponsePolicy;
import dev.failover4j.StreamingOptions;
import dev.failover4j.TokenPrice;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.RecordedChatRequest;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Every {@code langchain4j.failover.*} property reaches the group it configures. */
class FailoverPropertiesMappingTest {

    private static final ChaosTargets servers = new ChaosTargets();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FailoverAutoConfiguration.class));

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @BeforeEach
    void resetServers() {
        servers.reset();
    }

    @Test
    void should_keep_the_library_defaults_when_no_setting_is_given() {
        runner.withPropertyValues(servers.properties()).run(context -> {
            FailoverGroup group = context.getBean(FailoverGroup.class);
            FailoverConfig defaults = FailoverConfig.defaults();
            assertThat(group.config().toString()).isEqualTo(defaults.toString());
            assertThat(group.fitting().toString()).isEqualTo(FittingConfig.defaults().toString());
            assertThat(group.targets()).allSatisfy(target ->
                    assertThat(target.budgetInterval()).isEqualTo(FailoverTarget.DEFAULT_BUDGET_INTERVAL));
            assertThat(((FailoverStreamingChatLanguageModel) context.getBean(StreamingChatModel.class)).options().toString())
                    .isEqualTo(StreamingOptions.defaults().toString());
        });
    }

    @Test
    void should_apply_every_resilience_setting_when_configured() {
        runner.withPropertyValues(servers.properties(
                "langchain4j.failover.deadline=45s",
                "langchain4j.failover.attempt-timeout=12s",
                "langchain4j.failover.max-retries=4",
                "langchain4j.failover.max-connection-retries=0",
                "langchain4j.failover.backoff.initial=50ms",
                "langchain4j.failover.backoff.max=2s",
                "langchain4j.failover.backoff.factor=3",
                "langchain4j.failover.backoff.jitter=0.1",
                "langchain4j.failover.breaker.consecutive-failures=2",
                "langchain4j.failover.breaker.failure-rate-threshold=6",
                "langchain4j.failover.breaker.failure-rate-window=12",
                "langchain4j.failover.breaker.delay=9s",
                "langchain4j.failover.breaker.half-open-successes=1",
                "langchain4j.failover.cooldown.rate-limit=3s",
                "langchain4j.failover.cooldown.max-retry-after=1m",
                "langchain4j.failover.cooldown.model-not-found=2m",
                "langchain4j.failover.cooldown.region-blocked=1h")).run(context -> {
            FailoverConfig config = context.getBean(FailoverGroup.class).config();
            assertThat(config.deadline()).isEqualTo(Duration.ofSeconds(45));
            assertThat(config.attemptTimeout()).isEqualTo(Duration.ofSeconds(12));
            assertThat(config.maxRetries()).isEqualTo(4);
            assertThat(config.maxConnectionRetries()).isZero();
            assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(50));
            assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(2));
            assertThat(config.backoffFactor()).isEqualTo(3.0);
            assertThat(config.jitter()).isEqualTo(0.1);
            assertThat(config.consecutiveFailureThreshold()).isEqualTo(2);
            assertThat(config.failureRateThreshold()).isEqualTo(6);
            assertThat(config.failureRateWindow()).isEqualTo(12);
            assertThat(config.breakerDelay()).isEqualTo(Duration.ofSeconds(9));
            assertThat(config.halfOpenSuccessThreshold()).isEqualTo(1);
            assertThat(config.rateLimitCooldown()).isEqualTo(Duration.ofSeconds(3));
            assertThat(config.maxRetryAfter()).isEqualTo(Duration.ofMinutes(1));
            assertThat(config.modelNotFoundCooldown()).isEqualTo(Duration.ofMinutes(2));
            assertThat(config.regionBlockedCooldown()).isEqualTo(Duration.ofHours(1));
        });
    }

    @Test
    void should_keep_the_other_half_of_a_pair_at_its_default_when_one_half_is_set() {
        runner.withPropertyValues(servers.properties("langchain4j.failover.backoff.max=1s",
                "langchain4j.failover.breaker.failure-rate-window=30")).run(context -> {
            FailoverConfig config = context.getBean(FailoverGroup.class).config();
            assertThat(config.initialBackoff()).isEqualTo(FailoverConfig.DEFAULT_INITIAL_BACKOFF);
            assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.failureRateThreshold()).isEqualTo(FailoverConfig.DEFAULT_FAILURE_RATE_THRESHOLD);
            assertThat(config.failureRateWindow()).isEqualTo(30);
        });
    }

    @Test
    void should_apply_fitting_and_streaming_settings_when_configured() {
        runner.withPropertyValues(servers.properties(
                "langchain4j.failover.fitting.strategy=prefer-full-history",
                "langchain4j.failover.fitting.default-reserved-output-tokens=1000",
                "langchain4j.failover.fitting.start-with-user-message=false",
                "langchain4j.failover.streaming.first-token-timeout=3s",
                "langchain4j.failover.streaming.idle-timeout=2s",
                "langchain4j.failover.streaming.partial-response-policy=fail")).run(context -> {
            FittingConfig fitting = context.getBean(FailoverGroup.class).fitting();
            assertThat(fitting.strategy()).isEqualTo(FitStrategy.PREFER_FULL_HISTORY);
            assertThat(fitting.defaultReservedOutputTokens()).isEqualTo(1000);
            assertThat(fitting.startWithUserMessage()).isFalse();
            StreamingOptions options = ((FailoverStreamingChatLanguageModel) context.getBean(StreamingChatModel.class)).options();
            assertThat(options.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(options.partialResponsePolicy()).isEqualTo(PartialResponsePolicy.FAIL);
        });
    }

    @Test
    void should_apply_every_target_setting_when_configured() {
        runner.withPropertyValues(servers.properties(
                "langchain4j.failover.targets[0].max-output-tokens=512",
                "langchain4j.failover.targets[0].priority=0",
                "langchain4j.failover.targets[0].weight=3",
                "langchain4j.failover.targets[0].price.input=0.27",
                "langchain4j.failover.targets[0].price.output=1.10",
                "langchain4j.failover.targets[0].requests-per-minute=1000",
                "langchain4j.failover.targets[0].tokens-per-minute=200000",
                "langchain4j.failover.targets[0].budget-interval=1s",
                "langchain4j.failover.targets[0].token-ratio=1.6",
                "langchain4j.failover.targets[0].safety-margin-tokens=300",
                "langchain4j.failover.targets[0].tokenizer=cl100k-base",
                "langchain4j.failover.targets[0].timeout=20s",
                "langchain4j.failover.targets[0].connect-timeout=2s",
                "langchain4j.failover.targets[0].http-version=http-2",
                "langchain4j.failover.targets[0].custom-headers.X-Tenant=acme",
                "langchain4j.failover.targets[1].priority=1")).run(context -> {
            FailoverTarget primary = context.getBean(FailoverGroup.class).targets().get(0);
            assertThat(primary.modelName()).contains("gpt-4o-mini");
            assertThat(primary.contextWindowTokens()).isEqualTo(16_000);
            assertThat(primary.maxOutputTokens()).contains(512);
            assertThat(primary.priority()).contains(0);
            assertThat(primary.weight()).isEqualTo(3);
            assertThat(primary.price()).contains(TokenPrice.perMillion("0.27", "1.10"));
            assertThat(primary.requestsPerMinute()).contains(1000);
            assertThat(primary.tokensPerMinute()).contains(200_000);
            assertThat(primary.budgetInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(primary.tokenRatio()).isEqualTo(1.6);
            assertThat(primary.safetyMarginTokens()).isEqualTo(300);
            assertThat(primary.tokenizer().toString()).containsIgnoringCase("cl100k");

            // and the HTTP settings reach the wire: the header is sent, the timeouts and version let a call through
            context.getBean(ChatModel.class).chat(FailoverAutoConfigurationTest.request());
            assertThat(servers.primary.takeRequest(Duration.ofSeconds(5)).header("X-Tenant")).contains("acme");
        });
    }

    @Test
    void should_send_no_authorization_header_when_no_api_key_is_set() {
        runner.withPropertyValues(servers.properties("langchain4j.failover.targets[0].api-key=",
                "langchain4j.failover.targets[0].no-api-key=true")).run(context -> {
            context.getBean(ChatModel.class).chat(FailoverAutoConfigurationTest.request());
            assertThat(servers.primary.takeRequest(Duration.ofSeconds(5)).header("Authorization")).isEmpty();
        });
    }

    @Test
    void should_route_round_robin_when_configured() {
        runner.withPropertyValues(servers.properties("langchain4j.failover.routing=round-robin",
                "langchain4j.failover.targets[0].priority=0", "langchain4j.failover.targets[1].priority=0")).run(context -> {
            assertThat(servedBy(context.getBean(ChatModel.class), 4)).containsExactlyInAnyOrder("primary", "secondary",
                    "primary", "secondary");
        });
    }

    @Test
    void should_route_weighted_when_configured() {
        runner.withPropertyValues(servers.properties("langchain4j.failover.routing=weighted",
                "langchain4j.failover.targets[0].priority=0", "langchain4j.failover.targets[0].weight=3",
                "langchain4j.failover.targets[1].priority=0")).run(context -> {
            assertThat(servedBy(context.getBean(ChatModel.class), 4)).filteredOn("primary"::equals).hasSize(3);
        });
    }

    @Test
    void should_route_lowest_cost_first_when_configured() {
        runner.withPropertyValues(servers.properties("langchain4j.failover.routing=lowest-cost",
                "langchain4j.failover.targets[0].priority=0", "langchain4j.failover.targets[0].price.input=10",
                "langchain4j.failover.targets[0].price.output=30",
                "langchain4j.failover.targets[1].priority=0", "langchain4j.failover.targets[1].price.input=0.1",
                "langchain4j.failover.targets[1].price.output=0.4")).run(context -> {
            assertThat(servedBy(context.getBean(ChatModel.class), 3)).containsOnly("secondary");
        });
    }

    @Test
    void should_route_least_latency_when_configured() {
        servers.primary.inject(Fault.latency(Duration.ofMillis(150)));
        runner.withPropertyValues(servers.properties("langchain4j.failover.routing=least-latency",
                "langchain4j.failover.least-latency-exploration=0",
                "langchain4j.failover.targets[0].priority=0", "langchain4j.failover.targets[1].priority=0")).run(context -> {
            // both are tried once (no sample yet counts as fastest), then the faster one serves
            List<String> served = servedBy(context.getBean(ChatModel.class), 5);
            assertThat(served.subList(2, 5)).containsOnly("secondary");
        });
    }

    @Test
    void should_post_an_alert_to_the_webhook_when_probes_see_a_target_down() throws IOException {
        // given: a loopback webhook
        LinkedBlockingQueue<String> posts = new LinkedBlockingQueue<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/hook", exchange -> {
            posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        servers.primary.inject(Fault.httpStatus(500));
        try {
            runner.withPropertyValues(servers.properties("langchain4j.failover.max-retries=0",
                    "langchain4j.failover.probes.interval=1h", "langchain4j.failover.probes.failures-before-alert=1",
                    "langchain4j.failover.alerts.logging=true",
                    "langchain4j.failover.alerts.webhook-url=http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook"))
                    .run(context -> {
                        // when
                        context.getBean(ChatModel.class).chat(FailoverAutoConfigurationTest.request());

                        // then
                        String post = posts.poll(10, TimeUnit.SECONDS);
                        assertThat(post).contains("\"event\":\"target_down\"").contains("\"target\":\"primary\"");
                    });
        } finally {
            webhook.stop(0);
        }
    }

    @Test
    void should_hedge_after_the_delay_within_the_extra_load_when_configured() {
        // given: a primary slower than the delay; a share of 0.5 lets every second call hedge (the default, 0.1,
        // none of the first nine)
        servers.primary.inject(Fault.latency(Duration.ofMillis(800)));
        List<FailoverEvent> events = new CopyOnWriteArrayList<>();
        runner.withPropertyValues(servers.properties("langchain4j.failover.hedging.delay=50ms",
                "langchain4j.failover.hedging.max-extra-load=0.5"))
                .withBean(FailoverListener.class, () -> events::add).run(context -> {
                    // when
                    List<FailoverChatResponseMetadata> served = calls(context.getBean(ChatModel.class), 4);

                    // then
                    assertThat(served).extracting(FailoverChatResponseMetadata::targetName)
                            .containsExactly("primary", "secondary", "primary", "secondary");
                    assertThat(served).extracting(FailoverChatResponseMetadata::hedged).containsExactly(false, true, false, true);
                    assertThat(hedgeDelays(events)).containsExactly(Duration.ofMillis(50), Duration.ofMillis(50));
                });
    }

    @Test
    void should_not_hedge_when_no_hedging_is_configured() {
        servers.primary.inject(Fault.latency(Duration.ofMillis(300)));
        List<FailoverEvent> events = new CopyOnWriteArrayList<>();
        runner.withPropertyValues(servers.properties()).withBean(FailoverListener.class, () -> events::add).run(context -> {
            List<FailoverChatResponseMetadata> served = calls(context.getBean(ChatModel.class), 1);

            assertThat(served.get(0).targetName()).isEqualTo("primary");
            assertThat(served.get(0).hedged()).isFalse();
            assertThat(hedgeDelays(events)).isEmpty();
            assertThat(servers.secondary.requestCount()).isZero();
        });
    }

    @Test
    void should_hedge_after_the_percentile_between_floor_and_ceiling_when_configured() {
        List<FailoverEvent> events = new CopyOnWriteArrayList<>();
        runner.withPropertyValues(servers.properties("langchain4j.failover.hedging.percentile=0.9",
                "langchain4j.failover.hedging.floor=400ms", "langchain4j.failover.hedging.ceiling=1200ms",
                "langchain4j.failover.hedging.max-extra-load=1"))
                .withBean(FailoverListener.class, () -> events::add).run(context -> {
                    ChatModel model = context.getBean(ChatModel.class);

                    // when: a slow answer before the primary has answered often enough for a percentile
                    servers.primary.injectNext(1, Fault.latency(Duration.ofSeconds(4)));
                    assertThat(calls(model, 1).get(0).hedged()).isTrue();

                    // then: the hedge waited for the ceiling
                    assertThat(hedgeDelays(events)).containsExactly(Duration.ofMillis(1200));

                    // when: enough fast answers (loopback) for a percentile far below the floor, then a slow one
                    calls(model, 20);
                    servers.primary.injectNext(1, Fault.latency(Duration.ofSeconds(4)));
                    assertThat(calls(model, 1).get(0).hedged()).isTrue();

                    // then: the hedge waited for the floor
                    assertThat(hedgeDelays(events)).containsExactly(Duration.ofMillis(1200), Duration.ofMillis(400));
                });
    }

    @Test
    void should_check_healthy_targets_too_when_probes_include_healthy() {
        runner.withPropertyValues(servers.properties("langchain4j.failover.probes.interval=1h",
                "langchain4j.failover.probes.include-healthy=true")).run(context -> {
            // when: a round now (the interval is long), every breaker closed
            context.getBean(FailoverGroup.class).runProbes();

            // then: each target got its health check
            for (RecordedChatRequest check : List.of(servers.primary.takeRequest(Duration.ofSeconds(5)),
                    servers.secondary.takeRequest(Duration.ofSeconds(5)))) {
                assertThat(check.method()).isEqualTo("GET");
                assertThat(check.path()).endsWith("/models");
            }
        });
        servers.reset();
        runner.withPropertyValues(servers.properties("langchain4j.failover.probes.interval=1h")).run(context -> {
            // without include-healthy a round checks only open targets: none
            context.getBean(FailoverGroup.class).runProbes();
            assertThat(servers.primary.requestCount() + servers.secondary.requestCount()).isZero();
        });
    }

    @Test
    void should_ramp_the_canary_when_configured() {
        runner.withPropertyValues(servers.properties("langchain4j.failover.routing=weighted",
                "langchain4j.failover.targets[0].priority=0", "langchain4j.failover.targets[0].weight=3",
                "langchain4j.failover.targets[1].priority=0", "langchain4j.failover.targets[1].weight=3",
                "langchain4j.failover.canaries[0].target=secondary", "langchain4j.failover.canaries[0].steps=25,100",
                "langchain4j.failover.canaries[0].step-duration=1h", "langchain4j.failover.canaries[0].max-error-rate=0.5",
                "langchain4j.failover.canaries[0].min-attempts-per-step=5")).run(context -> {
            // the first step gives the canary a quarter of its tier (half without the ramp: equal weights)
            assertThat(servedBy(context.getBean(ChatModel.class), 8)).filteredOn("secondary"::equals).hasSize(2);
        });
    }

    private static List<FailoverChatResponseMetadata> calls(ChatModel model, int calls) {
        List<FailoverChatResponseMetadata> served = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            served.add((FailoverChatResponseMetadata) model.chat(FailoverAutoConfigurationTest.request()).metadata());
        }
        return served;
    }

    private static List<Duration> hedgeDelays(List<FailoverEvent> events) {
        return events.stream().filter(FailoverEvent.HedgeStarted.class::isInstance)
                .map(e -> ((FailoverEvent.HedgeStarted) e).delay()).toList();
    }

    private static List<String> servedBy(ChatModel model, int calls) {
        List<String> served = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            served.add(((FailoverChatResponseMetadata) model.chat(FailoverAutoConfigurationTest.request()).metadata()).targetName());
        }
        return served;
    }
}
