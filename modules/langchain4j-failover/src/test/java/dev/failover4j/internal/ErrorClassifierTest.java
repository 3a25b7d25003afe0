package dev.failover4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import dev.failover4j.FailureKind;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static FailureKind kind(Throwable error) {
        return ErrorClassifier.classify(error, NOW).kind();
    }

    @Test
    void should_classify_langchain4j_types() {
        assertThat(kind(new InternalServerException("x"))).isEqualTo(FailureKind.SERVER_ERROR);
        assertThat(kind(new RateLimitException("x"))).isEqualTo(FailureKind.RATE_LIMITED);
        assertThat(kind(new AuthenticationException("x"))).isEqualTo(FailureKind.AUTHENTICATION);
        assertThat(kind(new ModelNotFoundException("x"))).isEqualTo(FailureKind.MODEL_NOT_FOUND);
        assertThat(kind(new TimeoutException("x"))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(new ContentFilteredException("x"))).isEqualTo(FailureKind.CONTENT_FILTERED);
        assertThat(kind(new InvalidRequestException("bad temperature"))).isEqualTo(FailureKind.INVALID_REQUEST);
        assertThat(kind(new UnsupportedFeatureException("no tools"))).isEqualTo(FailureKind.INVALID_REQUEST);
    }

    @Test
    void should_classify_plain_http_exceptions_by_status() {
        assertThat(kind(new HttpException(502, "bad gateway"))).isEqualTo(FailureKind.SERVER_ERROR);
        assertThat(kind(new HttpException(429, "slow down"))).isEqualTo(FailureKind.RATE_LIMITED);
        assertThat(kind(new HttpException(403, "forbidden"))).isEqualTo(FailureKind.AUTHENTICATION);
        assertThat(kind(new HttpException(408, "timeout"))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(new HttpException(413, "prompt is too long"))).isEqualTo(FailureKind.CONTEXT_LENGTH_EXCEEDED);
        assertThat(kind(new HttpException(422, "unprocessable"))).isEqualTo(FailureKind.INVALID_REQUEST);
        assertThat(kind(new HttpException(409, "conflict"))).isEqualTo(FailureKind.INVALID_REQUEST);
        assertThat(kind(new HttpException(407, "proxy authentication required"))).isEqualTo(FailureKind.AUTHENTICATION);
        assertThat(kind(new HttpException(451, "unavailable for legal reasons"))).isEqualTo(FailureKind.REGION_BLOCKED);
        assertThat(kind(new HttpException(413, "<html>413 Request Entity Too Large</html>"))).isEqualTo(FailureKind.PAYLOAD_TOO_LARGE);
    }

    @Test
    void should_classify_transport_and_parse_failures_through_wrappers() {
        assertThat(kind(new RuntimeException(new ConnectException("refused")))).isEqualTo(FailureKind.CONNECTION);
        assertThat(kind(new RuntimeException(new UnknownHostException("nowhere")))).isEqualTo(FailureKind.CONNECTION);
        assertThat(kind(new UncheckedIOException(new java.io.IOException("closed")))).isEqualTo(FailureKind.CONNECTION);
        assertThat(kind(new RuntimeException(new JsonParseException(null, "unexpected end")))).isEqualTo(FailureKind.MALFORMED_RESPONSE);
        assertThat(kind(new RuntimeException(new InterruptedException()))).isEqualTo(FailureKind.INTERRUPTED);
        assertThat(kind(new IllegalStateException("bug"))).isEqualTo(FailureKind.UNKNOWN);
    }

    @Test
    void should_read_retry_after_from_the_kept_headers() {
        HttpStatusException http = new HttpStatusException(429, "{}", Map.of("retry-after", List.of("7")));
        Classification c = ErrorClassifier.classify(new RateLimitException(http), NOW);
        assertThat(c.kind()).isEqualTo(FailureKind.RATE_LIMITED);
        assertThat(c.httpStatus()).isEqualTo(429);
        assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void should_survive_a_cause_cycle() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(kind(a)).isEqualTo(FailureKind.UNKNOWN);
    }
}
