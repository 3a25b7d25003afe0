package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.support.RecordingHandler;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.Reply;
import dev.langchain4j.data.message.UserMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Many streams at once through flaky servers: none lost, none completed twice, nothing leaked. */
class StreamingConcurrencyWireTest {

    private static final String TEXT = "one two three four five six seven eight nine ten";

    private static FailoverTarget target(ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(server.name()).baseUrl(server.baseUrl()).apiKey("sk-test-" + server.name() + "-00000")
                .modelName("gpt-4o-mini").contextWindowTokens(16_000).build();
    }

    @Test
    void should_end_every_stream_exactly_once_when_many_run_at_once_through_a_flaky_primary() throws Exception {
        try (ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").replyText(TEXT).randomSeed(7).build().start();
                ChaosOpenAiServer secondary = ChaosOpenAiServer.builder().name("secondary").reply(r -> Reply.text(TEXT)).build().start()) {
            // given: 30 % of the primary's streams are cut after 3 chunks, 10 % answer 503
            primary.inject(Fault.streamCutAfter(3).withProbability(0.3));
            primary.inject(Fault.httpStatus(503).withProbability(0.1));
            FailoverStreamingChatLanguageModel model = FailoverStreamingChatLanguageModel.builder()
                    .targets(target(primary), target(secondary))
                    .config(FailoverConfig.builder().backoff(Duration.ofMillis(5), Duration.ofMillis(20)).build())
                    .idleTimeout(Duration.ofSeconds(2))
                    .build();
            // when
            List<RecordingHandler> handlers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                RecordingHandler handler = new RecordingHandler();
                handlers.add(handler);
                model.chat(List.of(UserMessage.from("count " + i)), handler);
            }
            for (RecordingHandler handler : handlers) {
                handler.await(Duration.ofSeconds(30));
            }
            Thread.sleep(300); // let any late, wrong second callback arrive before checking there is none
            // then
            for (RecordingHandler handler : handlers) {
                assertThat(handler.terminals).hasValue(1);
                assertThat(handler.error()).isNull();
                assertThat(handler.response().aiMessage().text()).startsWith("one two three");
                assertThat(handler.callbacksAfterTerminal()).isEmpty();
            }
        }
    }

    @Test
    void should_not_leak_threads_when_many_streams_stall_and_are_cancelled() throws Exception {
        try (ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").replyText(TEXT).build().start();
                ChaosOpenAiServer secondary = ChaosOpenAiServer.builder().name("secondary").replyText(TEXT).build().start()) {
            // given
            primary.inject(Fault.streamStallAfter(3));
            java.util.concurrent.atomic.AtomicInteger orchestrators = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "leakcheck-stream-" + orchestrators.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            FailoverStreamingChatLanguageModel model = FailoverStreamingChatLanguageModel.builder()
                    .targets(target(primary), target(secondary))
                    .executor(executor)
                    .partialResponsePolicy(PartialResponsePolicy.FAIL)
                    .config(FailoverConfig.builder().consecutiveFailureThreshold(10_000).failureRateThreshold(1_000, 1_000).build()) // keep every stream on the staller (breaks count in the window)
                    .idleTimeout(Duration.ofMillis(200))
                    .build();
            runStalledStreams(model, 40); // first round: pools grow to what 40 concurrent streams need
            Thread.sleep(300);
            long afterFirstRound = clientThreads();
            // when: the same load again, twice
            runStalledStreams(model, 40);
            runStalledStreams(model, 40);
            Thread.sleep(300);
            // then: threads are reused, not accumulated. Counted: this model's orchestration threads and the
            // JDK HTTP clients' workers and selectors (other tests' pools only shrink meanwhile); not counted: the
            // chaos server's own stalled-connection threads. A leak would add one or more per stream: 80+. The margin
            // (half of that) absorbs the JDK HTTP client's cached worker pool, whose size follows how many
            // callbacks happened to overlap (it went 1 over a margin of 16 once on a clean CI clone).
            assertThat(clientThreads()).as(threadNames()).isLessThanOrEqualTo(afterFirstRound + 40);
            assertThat(orchestrators.get()).isLessThanOrEqualTo(40 + 16);
            executor.shutdownNow();
        }
    }

    private static String threadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .collect(java.util.stream.Collectors.groupingBy(t -> t.getName().replaceAll("\\d+", "N"),
                        java.util.stream.Collectors.counting())).toString();
    }

    private static long clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("leakcheck-") || t.getName().startsWith("HttpClient-"))
                .count();
    }

    private static void runStalledStreams(FailoverStreamingChatLanguageModel model, int count) throws InterruptedException {
        List<RecordingHandler> handlers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordingHandler handler = new RecordingHandler();
            handlers.add(handler);
            model.chat(List.of(UserMessage.from("stall " + i)), handler);
        }
        for (RecordingHandler handler : handlers) {
            handler.await(Duration.ofSeconds(20));
            assertThat(handler.error()).as("partials %s response %s", handler.partials, handler.response()).isInstanceOf(IncompleteResponseException.class);
        }
    }
}
