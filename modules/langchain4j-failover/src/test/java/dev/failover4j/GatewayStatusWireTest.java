package dev.failover4j;

import static dev.failover4j.support.OpenAiResponses.ok;
import static dev.failover4j.support.Servers.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.support.MutableClock;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Statuses a gateway or proxy in front of one provider answers with: not the caller's fault, so the call
 * moves on instead of rethrowing them as invalid requests. 407 disables like 401, 451 cools down for long,
 * 413 counts nothing against the target.
 */
class GatewayStatusWireTest {

    private final MockWebServer primary = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();
    private final MutableClock clock = MutableClock.atEpochPlusOneDay();

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

    private FailoverChatLanguageModel model() {
        return FailoverChatLanguageModel.builder().targets(target("primary", primary), target("backup", backup)).clock(clock).build();
    }

    private static MockResponse status(int code, String contentType, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", contentType).body(body).build();
    }

    private static String servedBy(ChatResponse response) {
        return ((FailoverChatResponseMetadata) response.metadata()).targetName();
    }

    @Test
    void should_disable_the_target_like_a_401_when_its_proxy_demands_authentication() {
        // given
        primary.enqueue(status(407, "text/html", "<html><body>407 Proxy Authentication Required</body></html>"));
        backup.enqueue(ok("one"));
        backup.enqueue(ok("two"));
        FailoverChatLanguageModel model = model();
        // when
        ChatResponse first = model.chat(UserMessage.from("hi"));
        ChatResponse second = model.chat(UserMessage.from("again"));
        // then
        assertThat(servedBy(first)).isEqualTo("backup");
        assertThat(((FailoverChatResponseMetadata) first.metadata()).attempts().get(0).failure()).isEqualTo(FailureKind.AUTHENTICATION);
        assertThat(servedBy(second)).isEqualTo("backup");
        assertThat(primary.getRequestCount()).isEqualTo(1);
        assertThat(model.health().get(0).openReason()).isEqualTo(SkipReason.AUTHENTICATION_FAILED);
    }

    @Test
    void should_cool_the_target_down_for_long_when_it_answers_451() {
        // given
        primary.enqueue(status(451, "application/json", "{\"error\":{\"message\":\"Unsupported country, region, or territory\"}}"));
        backup.enqueue(ok("one"));
        backup.enqueue(ok("two"));
        FailoverChatLanguageModel model = model();
        // when
        ChatResponse first = model.chat(UserMessage.from("hi"));
        clock.advance(Duration.ofMinutes(10)); // longer than any other cool-down but the 451's
        ChatResponse second = model.chat(UserMessage.from("again"));
        // then
        assertThat(servedBy(first)).isEqualTo("backup");
        assertThat(servedBy(second)).isEqualTo("backup");
        assertThat(primary.getRequestCount()).isEqualTo(1);
        assertThat(model.health().get(0).openReason()).isEqualTo(SkipReason.REGION_BLOCKED);
        assertThat(((FailoverChatResponseMetadata) second.metadata()).attempts().get(0).skipReason())
                .isEqualTo(SkipReason.REGION_BLOCKED);
    }

    @Test
    void should_move_on_without_counting_it_when_a_gateway_rejects_the_body_as_too_large() {
        // given: nginx's HTML page, not an OpenAI error body
        primary.enqueue(status(413, "text/html",
                "<html><head><title>413 Request Entity Too Large</title></head><body><center><h1>413 Request Entity Too Large"
                        + "</h1></center><hr><center>nginx</center></body></html>"));
        primary.enqueue(ok("primary again"));
        backup.enqueue(ok("backup"));
        FailoverChatLanguageModel model = model();
        // when
        ChatResponse first = model.chat(UserMessage.from("a long one"));
        ChatResponse second = model.chat(UserMessage.from("short"));
        // then
        assertThat(servedBy(first)).isEqualTo("backup");
        assertThat(((FailoverChatResponseMetadata) first.metadata()).attempts().get(0).failure())
                .isEqualTo(FailureKind.PAYLOAD_TOO_LARGE);
        assertThat(servedBy(second)).isEqualTo("primary");
        assertThat(model.health().get(0).consecutiveFailures()).isZero();
    }
}
