package dev.failover4j;

import static dev.failover4j.support.OpenAiResponses.ok;
import static dev.failover4j.support.OpenAiResponses.serverError;
import static dev.failover4j.support.Servers.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.failover4j.support.MutableClock;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * A blip on every provider opens every breaker. Without a last resort, every call then fails in 0 ms for the
 * whole breaker delay although the providers are back; with it, the first call after recovery is served and the
 * breakers close by their own rule, while a continuing outage still sends each dead provider one trial at a time.
 * The clock never moves: the 30-s breaker delay never passes during the test.
 */
class LastResortTrialWireTest {

    private static final int CALLERS = 8;

    private final Provider a = new Provider();
    private final Provider b = new Provider();
    private final MutableClock clock = MutableClock.atEpochPlusOneDay();

    /** A provider that is down or up at will and records how many requests it handles at once. */
    private static final class Provider extends Dispatcher {
        final MockWebServer server = new MockWebServer();
        final AtomicBoolean down = new AtomicBoolean(true);
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();

        Provider() {
            server.setDispatcher(this);
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            requests.incrementAndGet();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(20); // long enough for concurrent trials to overlap, were there any
                return down.get() ? serverError() : ok("up");
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    @BeforeEach
    void start() throws IOException {
        a.server.start();
        b.server.start();
    }

    @AfterEach
    void stop() {
        a.server.close();
        b.server.close();
    }

    private FailoverChatLanguageModel model() {
        return FailoverChatLanguageModel.builder()
                .targets(target("a", a.server), target("b", b.server))
                .config(FailoverConfig.builder().maxRetries(0).consecutiveFailureThreshold(2).build())
                .clock(clock)
                .build();
    }

    private static int callConcurrently(FailoverChatLanguageModel model, int callsPerCaller) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            List<Future<Integer>> served = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                served.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < callsPerCaller; i++) {
                        if (catchThrowable(() -> model.chat(UserMessage.from("hi"))) == null) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> future : served) {
                total += future.get(60, TimeUnit.SECONDS);
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void openEveryBreaker(FailoverChatLanguageModel model) {
        for (int i = 0; i < 4 && model.health().stream().anyMatch(h -> h.circuitState() != CircuitState.OPEN); i++) {
            catchThrowable(() -> model.chat(UserMessage.from("blip")));
        }
        assertThat(model.health()).allSatisfy(h -> assertThat(h.circuitState()).isEqualTo(CircuitState.OPEN));
    }

    @Test
    void should_serve_the_first_call_after_every_provider_recovered_from_a_blip_that_opened_every_breaker() throws Exception {
        // given
        FailoverChatLanguageModel model = model();
        openEveryBreaker(model);
        a.down.set(false);
        b.down.set(false);
        // when
        ChatResponse first = model.chat(UserMessage.from("after the blip"));
        int servedWhileClosing = callConcurrently(model, 10); // calls beyond the half-open trials may still fail fast
        int servedAfter = callConcurrently(model, 10);
        // then: the breaker delay (30 s) never passed, yet everything is served again
        assertThat(first.aiMessage().text()).isEqualTo("up");
        assertThat(servedWhileClosing).isPositive();
        assertThat(servedAfter).isEqualTo(CALLERS * 10);
        assertThat(model.health().get(0).circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void should_send_each_dead_provider_at_most_one_trial_at_a_time_when_the_outage_goes_on() throws Exception {
        // given
        FailoverChatLanguageModel model = model();
        openEveryBreaker(model);
        int before = a.requests.get() + b.requests.get();
        a.maxInFlight.set(0);
        b.maxInFlight.set(0);
        // when
        int served = callConcurrently(model, 20);
        // then
        assertThat(served).isZero();
        assertThat(a.maxInFlight.get()).isEqualTo(1);
        assertThat(b.maxInFlight.get()).isEqualTo(1);
        assertThat(a.requests.get() + b.requests.get() - before).isLessThan(CALLERS * 20);
        assertThat(model.health()).allSatisfy(h -> assertThat(h.circuitState()).isEqualTo(CircuitState.OPEN));
    }

    @Test
    void should_never_try_a_target_disabled_by_a_401_as_a_last_resort() {
        // given: the only target answered 401 once
        a.server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                a.requests.incrementAndGet();
                return dev.failover4j.support.OpenAiResponses.unauthorized();
            }
        });
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(target("a", a.server)).clock(clock).build();
        catchThrowable(() -> model.chat(UserMessage.from("first")));
        // when
        Throwable second = catchThrowable(() -> model.chat(UserMessage.from("second")));
        // then
        assertThat(second).isInstanceOf(FailoverException.class).hasMessageContaining("AUTHENTICATION_FAILED");
        assertThat(a.requests).hasValue(1);
    }
}
