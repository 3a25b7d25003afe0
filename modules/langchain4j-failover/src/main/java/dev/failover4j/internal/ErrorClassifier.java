package dev.failover4j.internal;

import com.fasterxml.jackson.core.JacksonException;
import dev.failover4j.FailureKind;
import dev.failsafe.TimeoutExceededException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Classifies what a target's model threw, by exception type and HTTP status first; provider
 * wording ({@link ProviderErrorPatterns}) only splits the 400s.
 */
final class ErrorClassifier {

    private static final int MAX_CHAIN = 16;

    private ErrorClassifier() {}

    /**
     * @param error what the target's model threw
     * @param now   the current time, to turn an HTTP-date Retry-After into a wait
     */
    public static Classification classify(Throwable error, Instant now) {
        List<Throwable> chain = chainOf(error);
        HttpException http = find(chain, HttpException.class);
        int status = http == null ? 0 : http.statusCode();
        Duration retryAfter = retryAfter(chain, now);
        FailureKind kind = kindOf(error, chain, status);
        return new Classification(kind, status, retryAfter, detail(error, http));
    }

    /** @return the window and prompt size a context-length error anywhere in the chain states (see {@link ProviderErrorPatterns}) */
    static ProviderErrorPatterns.Stated statedContextNumbers(Throwable error) {
        return ProviderErrorPatterns.statedContextNumbers(allMessages(chainOf(error)));
    }

    private static FailureKind kindOf(Throwable error, List<Throwable> chain, int status) {
        if (has(chain, InterruptedException.class) || has(chain, ClosedByInterruptException.class)) {
            return FailureKind.INTERRUPTED;
        }
        if (has(chain, ContentFilteredException.class)) {
            return FailureKind.CONTENT_FILTERED;
        }
        if (has(chain, RateLimitException.class) || status == 429) {
            return FailureKind.RATE_LIMITED;
        }
        if (has(chain, AuthenticationException.class) || status == 401 || status == 403 || status == 407) {
            return FailureKind.AUTHENTICATION;
        }
        if (status == 451) {
            return FailureKind.REGION_BLOCKED;
        }
        if (status == 413) { // some gateways say "prompt is too long" with a 413: then a larger window helps
            return ProviderErrorPatterns.isContextLengthExceeded(allMessages(chain))
                    ? FailureKind.CONTEXT_LENGTH_EXCEEDED : FailureKind.PAYLOAD_TOO_LARGE;
        }
        if (has(chain, ModelNotFoundException.class) || status == 404) {
            return FailureKind.MODEL_NOT_FOUND;
        }
        if (has(chain, TimeoutException.class) || has(chain, TimeoutExceededException.class)
                || has(chain, HttpTimeoutException.class) || has(chain, SocketTimeoutException.class)
                || has(chain, java.util.concurrent.TimeoutException.class) || status == 408) {
            return FailureKind.TIMEOUT;
        }
        if (has(chain, InternalServerException.class) || status >= 500) {
            return FailureKind.SERVER_ERROR;
        }
        if (has(chain, InvalidRequestException.class) || has(chain, UnsupportedFeatureException.class)
                || (status >= 400 && status < 500)) {
            String text = allMessages(chain);
            if (ProviderErrorPatterns.isContextLengthExceeded(text)) {
                return FailureKind.CONTEXT_LENGTH_EXCEEDED;
            }
            if (ProviderErrorPatterns.isContentFiltered(text)) {
                return FailureKind.CONTENT_FILTERED;
            }
            return FailureKind.INVALID_REQUEST;
        }
        if (has(chain, UnresolvedModelServerException.class) || has(chain, UnresolvedAddressException.class)) {
            return FailureKind.CONNECTION;
        }
        if (has(chain, JacksonException.class) || has(chain, MalformedAnswerException.class)) {
            return FailureKind.MALFORMED_RESPONSE;
        }
        if (has(chain, IOException.class)) {
            return FailureKind.CONNECTION;
        }
        return FailureKind.UNKNOWN;
    }

    private static Duration retryAfter(List<Throwable> chain, Instant now) {
        HttpStatusException withHeaders = find(chain, HttpStatusException.class);
        if (withHeaders == null) {
            return null;
        }
        return withHeaders.header("Retry-After")
                .flatMap(value -> RetryAfter.parse(value, now))
                .orElse(null);
    }

    /** The whole text, not yet redacted: it is redacted before it is shortened (see {@link Redactor}). */
    private static String detail(Throwable error, HttpException http) {
        if (http != null) {
            return "HTTP " + http.statusCode() + ": " + nullToEmpty(http.getMessage());
        }
        Throwable root = rootOf(error);
        return root.getClass().getSimpleName() + ": " + nullToEmpty(root.getMessage());
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String allMessages(List<Throwable> chain) {
        StringBuilder text = new StringBuilder();
        for (Throwable t : chain) {
            if (t.getMessage() != null) {
                text.append(t.getMessage()).append('\n');
            }
        }
        return text.toString();
    }

    private static List<Throwable> chainOf(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && chain.size() < MAX_CHAIN && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static Throwable rootOf(Throwable error) {
        List<Throwable> chain = chainOf(error);
        return chain.get(chain.size() - 1);
    }

    private static boolean has(List<Throwable> chain, Class<? extends Throwable> type) {
        return find(chain, type) != null;
    }

    private static <T extends Throwable> T find(List<Throwable> chain, Class<T> type) {
        for (Throwable t : chain) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
