package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.failover4j.support.RecordingHandler;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests- and tokens-per-minute budgets at the wire: a spent target is skipped without a network call. */
class BudgetWireTest {

    private final List<ChaosOpenAiServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(ChaosOpenAiServer::close);
    }

    private ChaosOpenAiServer server(String name) {
        ChaosOpenAiServer server = ChaosOpenAiServer.builder().name(name).replyText("ok").build().start();
        servers.add(server);
        return server;
    }

    private static OpenAiCompatibleTargetBuilder target(ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(server.name()).baseUrl(server.baseUrl()).apiKey("sk-test-" + server.name() + "-000000")
                .modelName("gpt-4o-mini").contextWindowTokens(16_000);
    }

    @Test
    void should_keep_each_target_within_its_requests_per_minute_and_serve_every_call_when_the_sum_suffices() {
        // given: two targets of 60 rpm each (120 a minute), 100 calls in a burst (a scaled 1,000 calls/min on 2 × 600)
        ChaosOpenAiServer a = server("a");
        ChaosOpenAiServer b = server("b");
        try (FailoverGroup group = FailoverGroup.builder()
                .targets(target(a).requestsPerMinute(60).build(), target(b).requestsPerMinute(60).build()).build()) {
            // when
            for (int i = 0; i < 100; i++) {
                group.chatModel().chat(UserMessage.from("q" + i));
            }
            // then: no user-facing error, and neither target above its budget
            assertThat(a.requestCount()).isEqualTo(60);
            assertThat(b.requestCount()).isEqualTo(40);
        }
    }

    @Test
    void should_skip_a_spent_target_without_a_network_call_and_fail_clearly_when_no_refill_fits_the_deadline() {
        // given
        ChaosOpenAiServer a = server("a");
        try (FailoverGroup group = FailoverGroup.builder().targets(target(a).requestsPerMinute(3).build())
                .deadline(Duration.ofSeconds(2)).build()) {
            for (int i = 0; i < 3; i++) {
                group.chatModel().chat(UserMessage.from("q" + i));
            }
            // when
            Throwable error = catchThrowable(() -> group.chatModel().chat(UserMessage.from("one too many")));
            // then
            assertThat(error).isInstanceOf(FailoverException.class);
            assertThat(((FailoverException) error).attempts()).singleElement()
                    .satisfies(attempt -> assertThat(attempt.skipReason()).isEqualTo(SkipReason.BUDGET_EXHAUSTED));
            assertThat(a.requestCount()).isEqualTo(3);
        }
    }

    @Test
    void should_charge_prompt_and_reported_output_tokens_to_a_tokens_per_minute_budget() {
        // given: a prompt of ≈ 110 tokens and a short answer; a budget of 500 tokens a minute
        ChaosOpenAiServer a = server("a");
        ChaosOpenAiServer b = server("b");
        String prompt = "word ".repeat(100);
        try (FailoverGroup group = FailoverGroup.builder()
                .targets(target(a).tokensPerMinute(500).build(), target(b).build()).build()) {
            // when
            for (int i = 0; i < 10; i++) {
                group.chatModel().chat(UserMessage.from(prompt));
            }
            // then: a served while its budget lasted, then b
            assertThat(a.requestCount()).isBetween(3, 4);
            assertThat(b.requestCount()).isEqualTo(10 - a.requestCount());
        }
    }

    @Test
    void should_wait_for_the_earliest_refill_when_no_other_target_can_serve_and_it_fits_the_deadline() throws Exception {
        // given: one target of 60 rpm refilled every second (one request a second), a deadline of 5 s
        ChaosOpenAiServer a = server("a");
        long beforeBuild = System.nanoTime();
        try (FailoverGroup group = FailoverGroup.builder()
                .targets(target(a).requestsPerMinute(60).budgetInterval(Duration.ofSeconds(1)).build())
                .deadline(Duration.ofSeconds(5)).build()) {
            // when: three sync calls and a stream in a row, each but the first finding the budget spent
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(group.chatModel().chat(UserMessage.from("q" + i)).aiMessage().text());
            }
            RecordingHandler stream = new RecordingHandler();
            group.streamingChatModel().chat(ChatRequest.builder().messages(UserMessage.from("s")).build(), stream);
            stream.await(Duration.ofSeconds(10));
            // then: each waited for its refill and was served, one request a second reaching the server
            assertThat(answers).containsOnly("ok");
            assertThat(stream.error()).isNull();
            assertThat(stream.text()).isEqualTo("ok");
            assertThat(a.requestCount()).isEqualTo(4);
            // the limiter refills at each whole second after the group was built, one permit each time: the fourth
            // request could not be sent before its third refill (a lower bound; an upper one would be flaky)
            assertThat(Duration.ofNanos(System.nanoTime() - beforeBuild)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void should_reject_a_budget_interval_that_leaves_no_permit_or_exceeds_a_minute() {
        ChaosOpenAiServer a = server("a");
        assertThatThrownBy(() -> target(a).requestsPerMinute(30).budgetInterval(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("budgetInterval of target 'a' (PT1S) leaves less than one permit of its budget of 30 a minute "
                        + "per interval; choose a longer one");
        assertThatThrownBy(() -> target(a).requestsPerMinute(60).budgetInterval(Duration.ofMinutes(2)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("budgetInterval of target 'a' must be in (0, 1 minute] but was PT2M");
        assertThatThrownBy(() -> target(a).requestsPerMinute(60).budgetInterval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("budgetInterval of target 'a' must be in (0, 1 minute] but was PT0S");
    }

    @Test
    void should_reject_a_tokens_budget_that_one_request_would_spend_naming_both_values() {
        ChaosOpenAiServer a = server("a");
        assertThatThrownBy(() -> target(a).tokensPerMinute(500).maxOutputTokens(500).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tokensPerMinute of target 'a' (500) must exceed one request's reserved output, "
                        + "its maxOutputTokens (500)");
    }

    @Test
    void should_reject_a_non_positive_budget_naming_it() {
        ChaosOpenAiServer a = server("a");
        assertThatThrownBy(() -> target(a).requestsPerMinute(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("requestsPerMinute of target 'a' must be positive but was 0");
        assertThatThrownBy(() -> target(a).tokensPerMinute(-5).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tokensPerMinute of target 'a' must be positive but was -5");
    }
}
