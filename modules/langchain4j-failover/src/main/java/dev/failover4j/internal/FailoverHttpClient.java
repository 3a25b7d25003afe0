package dev.failover4j.internal;

import static dev.langchain4j.http.client.sse.ServerSentEventListenerUtils.ignoringExceptions;

import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * LangChain4j {@link HttpClient} on the JDK client that throws {@link HttpStatusException} (headers
 * kept) for statuses ≥ 400, so a 429's or 503's {@code Retry-After} reaches the failover policies.
 *
 * <p>Why not wrap LangChain4j's {@code JdkHttpClient}: it throws a plain {@code HttpException} and
 * the headers are gone before a wrapper sees them. The synchronous call is interruptible (the JDK
 * client cancels the exchange), which is how attempt timeouts and deadlines stop it.
 */
final class FailoverHttpClient implements HttpClient {

    private final java.net.http.HttpClient delegate;
    private final Duration readTimeout;

    FailoverHttpClient(java.net.http.HttpClient delegate, Duration readTimeout) {
        this.delegate = delegate;
        this.readTimeout = readTimeout;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = delegate.send(toJdkRequest(request), BodyHandlers.ofByteArray());
            if (!isSuccessful(response)) {
                throw new HttpStatusException(
                        response.statusCode(),
                        new String(response.body(), StandardCharsets.UTF_8),
                        response.headers().map());
            }
            return toResponse(response, response.body());
        } catch (HttpTimeoutException e) {
            throw new TimeoutException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LangChain4jException("HTTP call interrupted", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        ExchangeCanceller canceller = ExchangeCanceller.current(); // a stream attempt's, to stop it before its first token
        CompletableFuture<HttpResponse<InputStream>> exchange = delegate.sendAsync(toJdkRequest(request), BodyHandlers.ofInputStream());
        if (canceller != null) {
            canceller.pending(exchange);
        }
        exchange
                .thenAccept(response -> {
                    if (canceller != null) {
                        canceller.body(response.body());
                    }
                    if (!isSuccessful(response)) {
                        HttpStatusException error = new HttpStatusException(
                                response.statusCode(), readBody(response), response.headers().map());
                        ignoringExceptions(() -> listener.onError(error));
                        return;
                    }
                    ignoringExceptions(() -> listener.onOpen(toResponse(response, null)));
                    try (InputStream body = response.body()) {
                        parser.parse(body, listener);
                        ignoringExceptions(listener::onClose);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .exceptionally(failure -> {
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    Throwable error = cause instanceof HttpTimeoutException ? new TimeoutException(cause) : cause;
                    ignoringExceptions(() -> listener.onError(error));
                    return null;
                });
    }

    private java.net.http.HttpRequest toJdkRequest(HttpRequest request) {
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            throw new UnsupportedOperationException("multipart requests are not supported by the failover HTTP client");
        }
        java.net.http.HttpRequest.Builder builder =
                java.net.http.HttpRequest.newBuilder().uri(URI.create(request.url()));
        request.headers().forEach((name, values) -> {
            if (values != null) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        builder.method(
                request.method().name(),
                request.body() == null ? BodyPublishers.noBody() : BodyPublishers.ofString(request.body()));
        if (readTimeout != null) {
            builder.timeout(readTimeout);
        }
        return builder.build();
    }

    private static SuccessfulHttpResponse toResponse(HttpResponse<?> response, byte[] body) {
        return SuccessfulHttpResponse.builder()
                .statusCode(response.statusCode())
                .headers(response.headers().map())
                .body(body)
                .build();
    }

    private static boolean isSuccessful(HttpResponse<?> response) {
        return response.statusCode() >= 200 && response.statusCode() < 300;
    }

    private static String readBody(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(error body unreadable: " + e.getMessage() + ")";
        }
    }
}
