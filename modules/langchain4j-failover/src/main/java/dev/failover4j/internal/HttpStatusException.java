package dev.failover4j.internal;

import dev.langchain4j.exception.HttpException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An {@link HttpException} that keeps the response headers (LangChain4j's drops them, and with
 * them {@code Retry-After}). It has no cause of its own, so LangChain4j's exception mapper finds it
 * as the root cause, maps it by status code and keeps this instance as the cause of the typed
 * exception it throws.
 */
final class HttpStatusException extends HttpException {

    private final Map<String, List<String>> headers;

    public HttpStatusException(int statusCode, String body, Map<String, List<String>> headers) {
        super(statusCode, body);
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (name != null) {
                copy.put(name, List.copyOf(values));
            }
        });
        this.headers = copy;
    }

    /** @return the first value of a header, matched case-insensitively */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
