package dev.failover4j.internal;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * Builds {@link FailoverHttpClient}s for {@code FailoverTarget.openAiCompatible} targets.
 *
 * <p>HTTP/1.1 by default: the JDK client's h2c upgrade offer on plain {@code http://} is answered
 * with 500 by some OpenAI-compatible gateways (see FACTS.md). Over https the JDK negotiates HTTP/2
 * by ALPN only when {@link java.net.http.HttpClient.Version#HTTP_2} is chosen.
 *
 * <p>A user's customizer (proxy, SSLContext, authenticator, executor...) runs on a fresh JDK builder after our
 * version and connect timeout, so the user wins; the client it builds is wrapped, so headers are still kept.
 */
public final class FailoverHttpClientBuilder implements HttpClientBuilder {

    private Duration connectTimeout;
    private Duration readTimeout;
    private java.net.http.HttpClient.Version version = java.net.http.HttpClient.Version.HTTP_1_1;
    private Consumer<java.net.http.HttpClient.Builder> customizer;

    /**
     * JDK clients of targets that were not customized, one per (version, connect timeout): a JDK client holds a
     * selector thread and a connection pool and is meant to be shared, so an application that builds a group per
     * tenant does not pay two threads per target. Bounded by the few distinct settings in use; never closed (the
     * JDK 17 client has no close). The read timeout is set per request, so it is not part of the key.
     */
    private static final ConcurrentMap<SharedKey, java.net.http.HttpClient> SHARED = new ConcurrentHashMap<>();

    private record SharedKey(java.net.http.HttpClient.Version version, Duration connectTimeout) {}

    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public FailoverHttpClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return this;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public FailoverHttpClientBuilder readTimeout(Duration timeout) {
        this.readTimeout = timeout;
        return this;
    }

    public FailoverHttpClientBuilder version(java.net.http.HttpClient.Version version) {
        this.version = version;
        return this;
    }

    /** Runs on each JDK builder after version and connect timeout are set; null (the default) shares one JDK client. */
    public FailoverHttpClientBuilder customizer(Consumer<java.net.http.HttpClient.Builder> customizer) {
        this.customizer = customizer;
        return this;
    }

    @Override
    public HttpClient build() {
        java.net.http.HttpClient jdk = customizer == null
                ? SHARED.computeIfAbsent(new SharedKey(version, connectTimeout), key -> jdkBuilder().build())
                : customized();
        return new FailoverHttpClient(jdk, readTimeout);
    }

    private java.net.http.HttpClient customized() {
        java.net.http.HttpClient.Builder builder = jdkBuilder();
        customizer.accept(builder);
        return builder.build();
    }

    private java.net.http.HttpClient.Builder jdkBuilder() {
        java.net.http.HttpClient.Builder builder = java.net.http.HttpClient.newBuilder().version(version);
        if (connectTimeout != null) {
            builder.connectTimeout(connectTimeout);
        }
        return builder;
    }
}
