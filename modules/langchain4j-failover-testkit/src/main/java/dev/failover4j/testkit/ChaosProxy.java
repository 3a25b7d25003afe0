package dev.failover4j.testkit;

import com.knuddels.jtokkit.api.EncodingType;
import dev.failover4j.testkit.internal.ChaosEngine;
import dev.failover4j.testkit.internal.ProxyForwarder;
import dev.failover4j.testkit.internal.Tokens;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * A fault-injecting reverse proxy on a random 127.0.0.1 port in front of an OpenAI-compatible
 * upstream: rehearse outages against the real provider your application uses.
 *
 * <p>Requests are forwarded unchanged (method, path and query, body, headers including
 * {@code Authorization}; hop-by-hop headers dropped) with the JDK {@code HttpClient} over HTTP/1.1,
 * and the upstream's status, headers and body are relayed; an SSE body is relayed event by event.
 * Faults apply before forwarding: an answer-deciding fault (status, hang, drop, malformed, ...) is
 * answered by the proxy and the upstream is not called; latency delays the relayed answer; stream
 * faults cut, stall or break the relayed stream after N events. An unreachable upstream gives 502
 * with {@code code: "upstream_unreachable"}. Nothing is logged, and the {@code Authorization} value
 * is never stored unmasked.
 *
 * <pre>{@code
 * try (ChaosProxy proxy = ChaosProxy.builder().upstream("https://api.openai.com/v1").build().start()) {
 *     proxy.schedule(FaultSchedule.builder().from(Duration.ofSeconds(5)).lasting(Duration.ofSeconds(10))
 *             .fault(Fault.httpStatus(503)).build());
 *     ... OpenAiChatModel.builder().baseUrl(proxy.baseUrl()) ...
 * }
 * }</pre>
 *
 * <p>The proxy counts the prompt tokens of what it forwards, for {@link RecordedChatRequest#promptTokens()}
 * and {@link Fault#contextLengthAbove(int)}: with o200k unless {@link Builder#tokenCounting(EncodingType)}
 * says how the upstream counts. It never rewrites the upstream's own usage or errors.
 *
 * <p>Thread-safe, like {@link ChaosOpenAiServer}.
 */
public final class ChaosProxy extends EngineBackedEndpoint {

    /** Default {@link Builder#connectTimeout(Duration)}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final String upstreamPath;
    private final int port;
    private final ProxyForwarder forwarder;

    private ChaosProxy(Builder b) {
        super(new ChaosEngine(b.name, "unknown-model", b.clock, b.randomSeed, Duration.ZERO, b.tokens,
                b.contextLengthWording));
        this.name = b.name;
        this.upstreamPath = b.upstream.getRawPath() == null ? "" : b.upstream.getRawPath().replaceAll("/+$", "");
        this.port = b.port;
        this.forwarder = new ProxyForwarder(b.upstream, b.connectTimeout, b.requestTimeout, engine.shutdownSignal());
        engine.responder(forwarder);
    }

    /** A new builder; {@link Builder#upstream(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChaosProxy start() {
        engine.start(port);
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    /** The proxy's origin plus the upstream's path, e.g. {@code http://127.0.0.1:53412/v1}. */
    @Override
    public String baseUrl() {
        return engine.origin() + upstreamPath;
    }

    @Override
    public void reset() {
        engine.reset();
    }

    @Override
    public void close() {
        engine.close();
        forwarder.close();
    }

    @Override
    public String toString() {
        return "ChaosProxy[" + name + (engine.isStarted() ? " " + baseUrl() : " (not started)") + "]";
    }

    /** Builds a {@link ChaosProxy}. Not thread-safe; the proxy copies everything at {@link #build()}. */
    public static final class Builder {
        private String name = "chaos-proxy";
        private URI upstream;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout;
        private Tokens tokens = Tokens.encoding(ChaosOpenAiServer.DEFAULT_TOKEN_COUNTING);
        private ContextLengthWording contextLengthWording = ChaosOpenAiServer.DEFAULT_CONTEXT_LENGTH_WORDING;
        private Clock clock = Clock.systemUTC();
        private long randomSeed;
        private int port;

        private Builder() {
        }

        /** Name for {@code toString()} and drills. Default {@code "chaos-proxy"}. */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * The upstream base URL, e.g. {@code https://api.openai.com/v1}. Required.
         *
         * @throws IllegalArgumentException if it is not an absolute http(s) URL
         */
        public Builder upstream(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            URI uri = URI.create(baseUrl);
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new IllegalArgumentException("upstream must be an absolute http(s) URL but was " + baseUrl);
            }
            this.upstream = uri;
            return this;
        }

        /** Connect timeout towards the upstream. Default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Time limit for the upstream's response headers. Default none (streams may be long). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * Counts the prompt tokens of forwarded requests with this jtokkit encoding, by OpenAI's chat rule, as
         * {@link ChaosOpenAiServer.Builder#tokenCounting(EncodingType)} does. Default o200k.
         */
        public Builder tokenCounting(EncodingType encoding) {
            this.tokens = Tokens.encoding(Objects.requireNonNull(encoding, "encoding"));
            return this;
        }

        /**
         * Counts plain text with {@code textCounter} under OpenAI's chat rule, as
         * {@link ChaosOpenAiServer.Builder#tokenCounting(ToIntFunction)} does (same contract).
         */
        public Builder tokenCounting(ToIntFunction<String> textCounter) {
            this.tokens = Tokens.counter(Objects.requireNonNull(textCounter, "textCounter"));
            return this;
        }

        /** Wording of the 400 that {@link Fault#contextLengthAbove(int)} answers with. Default OpenAI's. */
        public Builder contextLengthWording(ContextLengthWording wording) {
            this.contextLengthWording = Objects.requireNonNull(wording, "wording");
            return this;
        }

        /** Clock for schedules. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Seed of the random behind fault probabilities and latency distributions. Default 0. */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /** Port to bind on 127.0.0.1. Default 0: a random free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 0..65535 but was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * A proxy, not yet started.
         *
         * @throws IllegalStateException if no upstream was set
         */
        public ChaosProxy build() {
            if (upstream == null) {
                throw new IllegalStateException("upstream is required");
            }
            return new ChaosProxy(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0 but was " + d);
            }
            return d;
        }
    }
}
