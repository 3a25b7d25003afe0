package dev.failover4j;

import static dev.failover4j.support.OpenAiResponses.ok;
import static dev.failover4j.support.OpenAiResponses.serverError;
import static dev.failover4j.support.Servers.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.support.MutableClock;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The breaker's life on a fake clock: closed → open → half-open → closed, with no sleeping. */
class CircuitBreakerWireTest {

    private final MockWebServer primary = new MockWebServer();
    private final MockWebServer secondary = new MockWebServer();
    private final MutableClock clock = MutableClock.atEpochPlusOneDay();
    private final List<FailoverEvent> events = new CopyOnWriteArrayList<>();
    private FailoverChatLanguageModel model;

    @BeforeEach
    void start() throws IOException {
        primary.start();
        secondary.start();
        model = FailoverChatLanguageModel.builder()
                .targets(target("primary", primary), target("secondary", secondary))
                .config(FailoverConfig.builder().backoff(Duration.ofMillis(1), Duration.ofMillis(2)).jitter(0).build())
                .clock(clock)
                .listener(events::add)
                .build();
    }

    @AfterEach
    void stop() {
        primary.close();
        secondary.close();
    }

    private String call() {
        ChatResponse response = model.chat(UserMessage.from("hi"));
        return ((FailoverChatResponseMetadata) response.metadata()).targetName();
    }

    private void openPrimary() {
        // 3 attempts in the first call, 2 in the second: 5 consecutive failures open the breaker.
        for (int i = 0; i < 5; i++) {
            primary.enqueue(serverError());
        }
        secondary.enqueue(ok("s"));
        secondary.enqueue(ok("s"));
        call();
        call();
    }

    private List<FailoverEvent.CircuitStateChanged> transitions() {
        return events.stream()
                .filter(e -> e instanceof FailoverEvent.CircuitStateChanged)
                .map(e -> (FailoverEvent.CircuitStateChanged) e)
                .toList();
    }

    @Test
    void should_open_after_consecutive_failures_and_skip_without_a_network_call() {
        // given
        openPrimary();
        int before = primary.getRequestCount();
        secondary.enqueue(ok("s"));
        // when
        String servedBy = call();
        // then
        assertThat(before).isEqualTo(5);
        assertThat(servedBy).isEqualTo("secondary");
        assertThat(primary.getRequestCount()).isEqualTo(5);
        assertThat(model.health().get(0).circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(transitions()).extracting(FailoverEvent.CircuitStateChanged::to).containsExactly(CircuitState.OPEN);
        assertThat(events).filteredOn(e -> e instanceof FailoverEvent.TargetSkipped skipped
                        && skipped.reason() == SkipReason.CIRCUIT_OPEN)
                .hasSize(1);
    }

    @Test
    void should_go_half_open_after_the_delay_and_close_after_three_successes() {
        // given
        openPrimary();
        clock.advance(FailoverConfig.DEFAULT_BREAKER_DELAY);
        for (int i = 0; i < 3; i++) {
            primary.enqueue(ok("p"));
        }
        // when
        String first = call();
        CircuitState afterFirst = model.health().get(0).circuitState();
        call();
        call();
        // then
        assertThat(first).isEqualTo("primary");
        assertThat(afterFirst).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(model.health().get(0).circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(transitions()).extracting(FailoverEvent.CircuitStateChanged::to)
                .containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED);
    }

    @Test
    void should_open_again_when_the_trial_call_fails() {
        // given
        openPrimary();
        clock.advance(FailoverConfig.DEFAULT_BREAKER_DELAY.plusSeconds(1));
        primary.enqueue(serverError());
        secondary.enqueue(ok("s"));
        secondary.enqueue(ok("s"));
        // when
        String trial = call();
        clock.advance(Duration.ofSeconds(10));
        String next = call();
        // then
        assertThat(trial).isEqualTo("secondary");
        assertThat(next).isEqualTo("secondary");
        assertThat(primary.getRequestCount()).isEqualTo(6); // one trial call, no retry against an open breaker
        assertThat(transitions()).extracting(FailoverEvent.CircuitStateChanged::to)
                .containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.OPEN);
    }

    @Test
    void should_keep_traffic_on_a_flaky_but_mostly_healthy_primary() {
        // given: every third response fails once; the retry on the same target absorbs it
        for (int i = 0; i < 10; i++) {
            if (i % 2 == 0) {
                primary.enqueue(serverError());
            }
            primary.enqueue(ok("p"));
        }
        // when
        long servedByPrimary = java.util.stream.IntStream.range(0, 10).mapToObj(i -> call()).filter("primary"::equals).count();
        // then
        assertThat(servedByPrimary).isEqualTo(10);
        assertThat(secondary.getRequestCount()).isZero();
        assertThat(model.health().get(0).circuitState()).isEqualTo(CircuitState.CLOSED);
    }
    @Test
    void should_count_failures_among_the_last_twenty_results_where_successes_push_old_failures_out() {
        // given: only the rate rule (10 failures among the last 20 results), one attempt per call
        FailoverChatLanguageModel rateOnly = FailoverChatLanguageModel.builder()
                .targets(target("primary", primary), target("secondary", secondary))
                .config(FailoverConfig.builder().maxRetries(0).consecutiveFailureThreshold(1_000).failureRateThreshold(10, 20).build())
                .clock(clock)
                .build();
        // 20 successes fill the window; 9 failures; 20 successes push them all out; then 1 failure
        enqueue(20, 0);
        enqueue(0, 9);
        enqueue(20, 0);
        enqueue(0, 1);
        // when
        for (int i = 0; i < 50; i++) {
            rateOnly.chat(UserMessage.from("hi"));
        }
        // then: 1 failure among the last 20, not 10 (a breaker that missed the successes would be open)
        assertThat(rateOnly.health().get(0).circuitState()).isEqualTo(CircuitState.CLOSED);
        // and 9 more failures in a row make 10 of the last 20: open
        enqueue(0, 9);
        for (int i = 0; i < 9; i++) {
            rateOnly.chat(UserMessage.from("hi"));
        }
        assertThat(rateOnly.health().get(0).circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(primary.getRequestCount()).isEqualTo(59);
    }

    private void enqueue(int successes, int failures) {
        for (int i = 0; i < successes; i++) {
            primary.enqueue(ok("p"));
        }
        for (int i = 0; i < failures; i++) {
            primary.enqueue(serverError());
            secondary.enqueue(ok("s"));
        }
    }
}
