package dev.failover4j.testkit.internal;

import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.RecordedChatRequest;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The healthy behaviour of {@code ChaosProxy}: forwards the request (method, path, body, headers
 * including {@code Authorization}) to the upstream with the JDK client over HTTP/1.1 and relays the
 * answer; an SSE answer is relayed event by event so stream faults can be applied. Nothing here logs.
 */
public final class ProxyForwarder implements Responder, AutoCloseable {

    /** Hop-by-hop headers, and those the JDK client refuses to set. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "date", "expect", "from",
            "host", "upgrade", "via", "warning", "keep-alive", "proxy-connection", "proxy-authorization", "te",
            "trailer", "transfer-encoding", "http2-settings");
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", ":status");

    private final String upstreamOrigin;
    private final Duration requestTimeout;
    private final ShutdownSignal shutdown;
    private final ExecutorService executor;
    private final HttpClient client;

    public ProxyForwarder(URI upstream, Duration connectTimeout, Duration requestTimeout, ShutdownSignal shutdown) {
        this.upstreamOrigin = upstream.getScheme() + "://" + upstream.getRawAuthority();
        this.requestTimeout = requestTimeout;
        this.shutdown = shutdown;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "chaos-proxy-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    @Override
    public MockResponse.Builder respond(RecordedChatRequest request, RecordedRequest raw, Fault streamFault,
                                        Runnable served) {
        HttpResponse<InputStream> upstream;
        try {
            upstream = send(toUpstream(raw));
        } catch (IOException e) {
            if (shutdown.isFired()) {
                // closing: the client should see the connection go, as with any other released request
                return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket());
            }
            return FaultResponses.json(502, ErrorBodies.upstreamUnreachable(e.getClass().getSimpleName()));
        }
        served.run();
        MockResponse.Builder out = new MockResponse.Builder().code(upstream.statusCode());
        for (Map.Entry<String, List<String>> h : upstream.headers().map().entrySet()) {
            if (!NOT_RELAYED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                for (String v : h.getValue()) {
                    out.addHeaderLenient(h.getKey(), v);
                }
            }
        }
        String contentType = upstream.headers().firstValue("content-type").orElse("");
        if (contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            return SseBody.attach(out,
                    new SseBody(new UpstreamEvents(upstream.body()), streamFault, Duration.ZERO, shutdown));
        }
        try (InputStream in = upstream.body()) {
            shutdown.register(in);
            byte[] bytes = in.readAllBytes();
            shutdown.unregister(in);
            return out.body(new Buffer().write(bytes));
        } catch (IOException e) {
            return FaultResponses.json(502, ErrorBodies.upstreamUnreachable(e.getClass().getSimpleName()));
        }
    }

    private HttpRequest toUpstream(RecordedRequest raw) {
        byte[] body = raw.getBody() == null ? new byte[0] : raw.getBody().toByteArray();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstreamOrigin + raw.getTarget()))
                .method(raw.getMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (requestTimeout != null) {
            b.timeout(requestTimeout);
        }
        for (String name : raw.getHeaders().names()) {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                for (String v : raw.getHeaders().values(name)) {
                    b.header(name, v);
                }
            }
        }
        return b.build();
    }

    /** Sends asynchronously so that closing the proxy cancels a call the upstream never answers. */
    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        CompletableFuture<HttpResponse<InputStream>> f =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        Closeable cancel = () -> f.cancel(true);
        shutdown.register(cancel);
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        } catch (CancellationException e) {
            throw new IOException("proxy closed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            shutdown.unregister(cancel);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Splits an upstream SSE body into events at blank lines. */
    static final class UpstreamEvents implements EventSource {
        private final InputStream in;
        private final BufferedReader reader;

        UpstreamEvents(InputStream in) {
            this.in = in;
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        @Override
        public String next() throws IOException {
            StringBuilder event = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (event.length() > 0) {
                        return event.toString();
                    }
                    continue;
                }
                if (event.length() > 0) {
                    event.append('\n');
                }
                event.append(line);
            }
            return event.length() > 0 ? event.toString() : null;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
