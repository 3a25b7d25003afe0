package dev.failover4j;

import static dev.failover4j.support.OpenAiResponses.ok;
import static dev.failover4j.support.OpenAiResponses.serverError;
import static dev.failover4j.support.Servers.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** 16 threads against a flaky primary: every call answered, none lost or duplicated. */
class ConcurrencyWireTest {

    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = 25;

    @Test
    void should_answer_every_call_when_16_threads_hit_a_flaky_primary() throws Exception {
        // given: the primary fails 20 % of requests (seeded), the secondary is healthy
        try (MockWebServer primary = new MockWebServer(); MockWebServer secondary = new MockWebServer()) {
            Random random = new Random(42);
            primary.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    boolean fail;
                    synchronized (random) {
                        fail = random.nextDouble() < 0.2;
                    }
                    return fail ? serverError() : ok("p");
                }
            });
            secondary.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return ok("s");
                }
            });
            primary.start();
            secondary.start();
            FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                    .targets(target("primary", primary), target("secondary", secondary))
                    // Breaker thresholds a 20 % error rate cannot reach by chance (P < 1e-5), so the share assertion
                    // below is deterministic; with the defaults (5 consecutive across all threads) a run of bad luck
                    // may rightly open the breaker and move everything to the secondary.
                    .config(FailoverConfig.builder().backoff(Duration.ofMillis(5), Duration.ofMillis(50))
                            .consecutiveFailureThreshold(8).failureRateThreshold(15, 20).build())
                    .build();
            Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            // when
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    int answered = 0;
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        ChatResponse response = model.chat(UserMessage.from("q" + i));
                        assertThat(response.aiMessage().text()).isIn("p", "s");
                        String target = ((FailoverChatResponseMetadata) response.metadata()).targetName();
                        servedBy.computeIfAbsent(target, k -> new AtomicInteger()).incrementAndGet();
                        answered++;
                    }
                    return answered;
                }));
            }
            int answered = 0;
            for (Future<Integer> future : futures) {
                answered += future.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            // then
            assertThat(answered).isEqualTo(THREADS * CALLS_PER_THREAD);
            int total = servedBy.values().stream().mapToInt(AtomicInteger::get).sum();
            assertThat(total).isEqualTo(THREADS * CALLS_PER_THREAD);
            assertThat(servedBy.get("primary").get()).isGreaterThan(total / 2);
        }
    }
}
