package dev.failover4j;

import static dev.failover4j.support.OpenAiResponses.rateLimited;
import static dev.failover4j.support.OpenAiResponses.serverError;
import static dev.failover4j.support.Servers.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a failed call tells its caller: the provider's own LangChain4j exception types (never an internal
 * one), the Retry-After a 429 carried, and a message of bounded size however many attempts were made.
 */
class FailureReportingWireTest {

    private final MockWebServer primary = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        primary.start();
        backup.start();
    }

    @AfterEach
    void stop() {
        primary.close();
        backup.close();
    }

    private static FailoverConfig.Builder fast() {
        return FailoverConfig.builder().backoff(Duration.ofMillis(1), Duration.ofMillis(2)).jitter(0);
    }

    private static List<Throwable> chain(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    @Test
    void should_keep_the_providers_exception_types_and_the_retry_after_when_every_target_fails() {
        // given
        primary.enqueue(serverError());
        backup.enqueue(rateLimited("70")); // longer than the deadline: not waited for
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("primary", primary), target("backup", backup)).config(fast().maxRetries(0).build()).build();

        // when
        FailoverException error = (FailoverException) catchThrowable(() -> model.chat(UserMessage.from("hi")));

        // then
        assertThat(error.getCause()).isInstanceOf(RateLimitException.class);
        assertThat(error.attempts().get(0).error()).isInstanceOf(InternalServerException.class);
        assertThat(error.attempts().get(1).error()).isInstanceOf(RateLimitException.class);
        assertThat(error.attempts().get(1).retryAfter()).isEqualTo(Duration.ofSeconds(70));
        assertThat(chain(error.getCause())).anySatisfy(t -> assertThat(t).isExactlyInstanceOf(HttpException.class)
                .satisfies(http -> assertThat(((HttpException) http).statusCode()).isEqualTo(429)));
        List<Throwable> reachable = new ArrayList<>(chain(error));
        error.attempts().forEach(a -> reachable.addAll(chain(a.error())));
        assertThat(reachable).allSatisfy(t -> assertThat(t.getClass().getPackageName()).isNotEqualTo("dev.failover4j.internal"));
    }

    @Test
    void should_rethrow_the_callers_400_as_a_public_type_with_a_public_cause() {
        // given
        primary.enqueue(dev.failover4j.support.OpenAiResponses.badRequest());
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(target("primary", primary)).build();

        // when
        Throwable error = catchThrowable(() -> model.chat(UserMessage.from("hi")));

        // then
        assertThat(error).isInstanceOf(InvalidRequestException.class).hasMessageContaining("temperature");
        assertThat(chain(error)).allSatisfy(t -> assertThat(t.getClass().getPackageName()).isNotEqualTo("dev.failover4j.internal"));
    }

    @Test
    void should_cap_the_message_and_keep_every_attempt_when_there_are_many() {
        // given: 31 attempts, each with a long provider message
        String longMessage = "overloaded ".repeat(40);
        for (int i = 0; i < 31; i++) {
            primary.enqueue(new MockResponse.Builder().code(503).setHeader("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"" + longMessage + "\"}}").build());
        }
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(target("primary", primary))
                .config(fast().maxRetries(30).consecutiveFailureThreshold(1_000).failureRateThreshold(40, 40).build()).build();

        // when
        FailoverException error = (FailoverException) catchThrowable(() -> model.chat(UserMessage.from("hi")));

        // then
        assertThat(error.attempts()).hasSize(31);
        assertThat(error.getMessage().length()).isBetween(3_000, 4_200);
        assertThat(error.getMessage()).matches("(?s).*… and \\d+ more attempts$");
    }
}
