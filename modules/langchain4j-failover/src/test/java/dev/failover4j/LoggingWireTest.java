package dev.failover4j;

import static dev.failover4j.support.OpenAiResponses.ok;
import static dev.failover4j.support.OpenAiResponses.streamOk;
import static dev.failover4j.support.OpenAiResponses.serverError;
import static dev.failover4j.support.Servers.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.failover4j.support.LogCapture;
import dev.failover4j.support.MutableClock;
import dev.failover4j.support.RecordingHandler;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What operators read during an incident: per-call routing at DEBUG under the model that made the call, state
 * changes and one summary per target per minute at INFO, and calls that failed everywhere shown once per minute.
 */
class LoggingWireTest {

    private final MockWebServer primary = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();
    private final MutableClock clock = MutableClock.atEpochPlusOneDay();
    private LogCapture logs;

    @BeforeEach
    void start() throws IOException {
        primary.start();
        backup.start();
        logs = new LogCapture();
    }

    @AfterEach
    void stop() {
        logs.close();
        primary.close();
        backup.close();
    }

    private static FailoverConfig.Builder config() {
        return FailoverConfig.builder().backoff(Duration.ofMillis(1), Duration.ofMillis(2)).jitter(0)
                .breakerDelay(Duration.ofMinutes(10));
    }

    private List<ILoggingEvent> atLeast(Level level) {
        return logs.events().stream().filter(e -> e.getLevel().isGreaterOrEqual(level)).toList();
    }


    @Test
    void should_log_one_summary_per_target_per_minute_instead_of_a_line_per_call_when_the_primary_is_open() {
        // given: the primary's breaker opened after 5 failures
        for (int i = 0; i < 5; i++) {
            primary.enqueue(serverError());
        }
        for (int i = 0; i < 106; i++) {
            backup.enqueue(ok("b"));
        }
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("primary", primary), target("backup", backup))
                .config(config().maxRetries(0).build()).clock(clock).build();
        for (int i = 0; i < 5; i++) {
            model.chat(UserMessage.from("opening"));
        }
        int linesBefore = atLeast(Level.INFO).size();
        // when: 100 calls skip the open primary
        for (int i = 0; i < 100; i++) {
            model.chat(UserMessage.from("q" + i));
        }
        int linesDuring = atLeast(Level.INFO).size() - linesBefore;
        clock.advance(Duration.ofSeconds(61));
        model.chat(UserMessage.from("a minute later"));
        // then
        assertThat(linesDuring).isZero();
        assertThat(atLeast(Level.INFO).subList(linesBefore, atLeast(Level.INFO).size()))
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage())
                        .isEqualTo("target 'primary' in the last 61 s: skipped 101 (CIRCUIT_OPEN 101)"));
        assertThat(logs.text()).contains("DEBUG call 100: served by 'backup' after primary SKIPPED CIRCUIT_OPEN");
    }

    @Test
    void should_show_one_exhausted_call_whole_and_count_the_others_when_every_target_keeps_failing() {
        // given
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(target("primary", primary))
                .config(config().maxRetries(0).consecutiveFailureThreshold(1_000).failureRateThreshold(30, 30).build())
                .clock(clock).build();
        for (int i = 0; i < 21; i++) {
            primary.enqueue(serverError());
        }
        // when
        for (int i = 0; i < 20; i++) {
            catchThrowable(() -> model.chat(UserMessage.from("q")));
        }
        clock.advance(Duration.ofSeconds(60));
        catchThrowable(() -> model.chat(UserMessage.from("a minute later")));
        // then
        List<String> warnings = atLeast(Level.WARN).stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).hasSize(3);
        assertThat(warnings.get(0)).startsWith("call 1: Every target failed or was skipped").contains("HTTP 503");
        assertThat(warnings.get(1)).isEqualTo("19 more calls failed on every target in the last 60 s");
        assertThat(warnings.get(2)).startsWith("call 21: Every target failed");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void should_name_every_failed_attempt_in_the_streaming_served_by_line_under_the_streaming_logger(int retries)
            throws Exception {
        // given
        for (int i = 0; i <= retries; i++) {
            primary.enqueue(serverError());
        }
        backup.enqueue(streamOk("hello"));
        FailoverStreamingChatLanguageModel model = FailoverStreamingChatLanguageModel.builder()
                .targets(target("primary", primary), target("backup", backup))
                .config(config().maxRetries(retries).build()).build();
        RecordingHandler handler = new RecordingHandler();
        // when
        model.chat(ChatRequest.builder().messages(UserMessage.from("hi")).build(), handler);
        handler.await(Duration.ofSeconds(10));
        // then
        assertThat(handler.text()).isEqualTo("hello");
        List<ILoggingEvent> servedBy = logs.events().stream()
                .filter(e -> e.getFormattedMessage().contains("served by 'backup'")).toList();
        assertThat(servedBy).singleElement().satisfies(e -> {
            assertThat(e.getLoggerName()).isEqualTo("dev.failover4j.FailoverStreamingChatLanguageModel");
            assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(e.getFormattedMessage()).contains("primary#" + (retries + 1) + " FAILED SERVER_ERROR")
                    .doesNotContain("primary#" + (retries + 2));
        });
        assertThat(logs.events()).filteredOn(e -> e.getFormattedMessage().contains("attempt 1 on 'primary'"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.getLoggerName()).isEqualTo("dev.failover4j.FailoverStreamingChatLanguageModel"));
    }
}
