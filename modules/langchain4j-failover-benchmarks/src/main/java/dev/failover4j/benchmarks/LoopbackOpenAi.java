package dev.failover4j.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A minimal OpenAI-compatible loopback server for drivers: healthy or failing on demand. */
final class LoopbackOpenAi implements AutoCloseable {

    static final String OK_BODY = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"m",
             "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13}}""";

    private final MockWebServer server = new MockWebServer();
    private volatile boolean down;

    LoopbackOpenAi() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return down
                        ? new MockResponse.Builder().code(503).body("{\"error\":{\"message\":\"down\"}}").build()
                        : new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(OK_BODY).build();
            }
        });
        try {
            server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return server.url("/v1").toString();
    }

    void down(boolean down) {
        this.down = down;
    }

    int requests() {
        return server.getRequestCount();
    }

    @Override
    public void close() {
        server.close();
    }
}
