package dev.failover4j;

import static dev.failover4j.support.OpenAiResponses.models;
import static dev.failover4j.support.OpenAiResponses.ok;
import static dev.failover4j.support.OpenAiResponses.serverError;
import static dev.failover4j.support.OpenAiResponses.unauthorized;
import static dev.failover4j.support.Servers.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.failover4j.support.MutableClock;
import dev.langchain4j.data.message.UserMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Background checks at the wire, on a clock that never moves (the 30-s breaker delay never passes): a target
 * opened by failures or disabled by a 401 is found again by a probe, not by a user's call; alerts fire once.
 */
class ProbesWireTest {

    private final MockWebServer primary = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();
    private final MutableClock clock = MutableClock.atEpochPlusOneDay();
    private final List<FailoverEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicBoolean primaryDown = new AtomicBoolean(true);
    private final AtomicInteger userCallsToPrimary = new AtomicInteger();
    private final AtomicInteger probesOfPrimary = new AtomicInteger();
    private volatile MockResponse whenDown = serverError();

    @BeforeEach
    void start() throws IOException {
        primary.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                boolean check = "GET".equals(request.getMethod()); // a probe: GET /v1/models
                if (check) {
                    probesOfPrimary.incrementAndGet();
                } else {
                    userCallsToPrimary.incrementAndGet();
                }
                return primaryDown.get() ? whenDown : check ? models("primary-model") : ok("primary");
            }
        });
        backup.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return "GET".equals(request.getMethod()) ? models("backup-model") : ok("backup");
            }
        });
        primary.start();
        backup.start();
    }

    @AfterEach
    void stop() {
        primary.close();
        backup.close();
    }

    private FailoverGroup group() {
        return FailoverGroup.builder().targets(target("primary", primary), target("backup", backup)).clock(clock)
                .config(FailoverConfig.builder().maxRetries(0).consecutiveFailureThreshold(3).halfOpenSuccessThreshold(1).build())
                .probes(Probes.every(Duration.ofHours(1))) // rounds are run by hand below
                .listener(events::add).build();
    }

    private static String servedBy(FailoverGroup group) {
        return ((FailoverChatResponseMetadata) group.chatModel().chat(UserMessage.from("hi")).metadata()).targetName();
    }

    private <E extends FailoverEvent> List<E> eventsOf(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void should_close_a_target_opened_by_503s_within_one_probe_round_after_it_recovers_with_no_user_call_to_it() {
        try (FailoverGroup group = group()) {
            // given: three 503s open the primary
            for (int i = 0; i < 3; i++) {
                servedBy(group);
            }
            int userCallsWhileOpen = userCallsToPrimary.get();
            group.runProbes(); // still down: a failed check, the breaker stays open
            for (int i = 0; i < 5; i++) {
                assertThat(servedBy(group)).isEqualTo("backup");
            }
            // when: it recovers, and the next probe round runs
            primaryDown.set(false);
            group.runProbes();
            // then
            assertThat(group.health().get(0).circuitState()).isEqualTo(CircuitState.CLOSED);
            assertThat(userCallsToPrimary.get()).isEqualTo(userCallsWhileOpen);
            assertThat(probesOfPrimary.get()).isEqualTo(2); // each check a GET /v1/models: no tokens billed
            assertThat(servedBy(group)).isEqualTo("primary");
        }
    }

    @Test
    void should_keep_a_target_out_while_its_models_listing_does_not_name_its_model() {
        try (FailoverGroup group = group()) {
            // given: the primary opened; then it answers again, but its listing lacks "primary-model"
            for (int i = 0; i < 3; i++) {
                servedBy(group);
            }
            whenDown = models("some-other-model");
            // when
            group.runProbes();
            // then: the check failed like a 404; the target stays out
            assertThat(group.health().get(0).circuitState()).isEqualTo(CircuitState.OPEN);
            assertThat(probesOfPrimary.get()).isEqualTo(1);
        }
    }

    @Test
    void should_check_healthy_targets_too_when_asked_and_raise_target_down_before_any_user_call() {
        // given: every target checked each round; the primary dies while no call goes to it
        try (FailoverGroup group = FailoverGroup.builder().targets(target("primary", primary), target("backup", backup))
                .clock(clock).probes(Probes.every(Duration.ofHours(1)).includeHealthy()).listener(events::add).build()) {
            // when: three rounds
            for (int i = 0; i < 3; i++) {
                group.runProbes();
            }
            // then: down, found by checks alone; its breaker still follows user calls
            assertThat(eventsOf(FailoverEvent.TargetDown.class)).singleElement()
                    .satisfies(down -> assertThat(down.target()).isEqualTo("primary"));
            assertThat(userCallsToPrimary.get()).isZero();
            assertThat(probesOfPrimary.get()).isEqualTo(3);
            assertThat(group.health().get(0).circuitState()).isEqualTo(CircuitState.CLOSED);
            assertThat(backup.getRequestCount()).isEqualTo(3);
            // and: it recovers, a round finds it
            primaryDown.set(false);
            group.runProbes();
            assertThat(eventsOf(FailoverEvent.TargetRecovered.class)).singleElement()
                    .satisfies(recovered -> assertThat(recovered.target()).isEqualTo("primary"));
        }
    }

    @Test
    void should_make_a_target_disabled_by_a_401_usable_again_once_a_probe_passes_after_the_key_was_fixed() {
        whenDown = unauthorized();
        try (FailoverGroup group = group()) {
            // given
            assertThat(servedBy(group)).isEqualTo("backup");
            assertThat(group.health().get(0).openReason()).isEqualTo(SkipReason.AUTHENTICATION_FAILED);
            // when: the key works again (the server accepts), a probe round
            primaryDown.set(false);
            group.runProbes();
            // then
            assertThat(servedBy(group)).isEqualTo("primary");
        }
    }

    @Test
    void should_raise_target_down_after_three_failures_in_a_row_and_target_recovered_once() {
        try (FailoverGroup group = group()) {
            // given: three failed calls on the primary (all served by the backup), then failed checks
            for (int i = 0; i < 3; i++) {
                servedBy(group);
            }
            group.runProbes();
            group.runProbes();
            // when
            primaryDown.set(false);
            group.runProbes();
            servedBy(group);
            // then
            assertThat(eventsOf(FailoverEvent.TargetDown.class)).singleElement().satisfies(down -> {
                assertThat(down.target()).isEqualTo("primary");
                assertThat(down.lastError()).contains("503");
            });
            assertThat(eventsOf(FailoverEvent.TargetRecovered.class)).singleElement()
                    .satisfies(recovered -> assertThat(recovered.target()).isEqualTo("primary"));
        }
    }

    @Test
    void should_never_probe_a_target_the_breaker_admits_calls_to() {
        try (FailoverGroup group = group()) {
            primaryDown.set(false);
            int before = primary.getRequestCount();
            group.runProbes();
            assertThat(primary.getRequestCount()).isEqualTo(before);
        }
    }

    @Test
    void should_run_probes_on_a_thread_of_the_group_that_close_stops() throws Exception {
        // given: probes every 50 ms; the primary opened
        FailoverGroup group = FailoverGroup.builder().targets(target("primary", primary), target("backup", backup)).clock(clock)
                .config(FailoverConfig.builder().maxRetries(0).consecutiveFailureThreshold(1).halfOpenSuccessThreshold(1).build())
                .probes(Probes.every(Duration.ofMillis(50))).build();
        servedBy(group);
        primaryDown.set(false);
        // when: the probe thread finds it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (group.health().get(0).circuitState() != CircuitState.CLOSED && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        group.close();
        // then
        assertThat(group.health().get(0).circuitState()).isEqualTo(CircuitState.CLOSED);
        long threadsDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (probeThreadsAlive() && System.nanoTime() < threadsDeadline) {
            Thread.sleep(20);
        }
        assertThat(probeThreadsAlive()).isFalse();
    }

    @Test
    void should_post_json_alerts_to_a_webhook() throws Exception {
        try (MockWebServer hook = new MockWebServer()) {
            hook.start();
            FailoverListener webhook = Alerts.webhook(hook.url("/alerts").uri());
            // when
            webhook.onEvent(new FailoverEvent.TargetDown(7, "primary", clock.instant(), "HTTP 503: overloaded"));
            webhook.onEvent(new FailoverEvent.TargetRecovered(9, "primary", Duration.ofSeconds(42)));
            // then
            RecordedRequest down = hook.takeRequest(5, TimeUnit.SECONDS);
            RecordedRequest recovered = hook.takeRequest(5, TimeUnit.SECONDS);
            List<String> bodies = List.of(down.getBody().utf8(), recovered.getBody().utf8());
            assertThat(bodies).anySatisfy(b -> assertThat(b).contains("\"event\":\"target_down\"").contains("\"target\":\"primary\"")
                    .contains("HTTP 503: overloaded"));
            assertThat(bodies).anySatisfy(b -> assertThat(b).contains("\"event\":\"target_recovered\"").contains("\"downtimeSeconds\":42"));
            assertThat(down.getHeaders().get("Content-Type")).isEqualTo("application/json");
        }
    }

    @Test
    void should_reject_bad_probe_settings_naming_them() {
        assertThatThrownBy(() -> Probes.every(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("probe interval must be a positive duration but was PT0S");
        assertThatThrownBy(() -> Probes.every(Duration.ofSeconds(10)).failuresBeforeAlert(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failuresBeforeAlert must be positive but was 0");
        assertThat(catchThrowable(() -> Probes.every(Duration.ofSeconds(-1)))).isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean probeThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().startsWith("failover-probe-"));
    }
}
