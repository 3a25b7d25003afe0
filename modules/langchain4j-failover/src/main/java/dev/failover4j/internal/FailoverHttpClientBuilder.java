package dev.failover4j.internal;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import java.time.Duration;
import java.util.Objects;
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
    private Consumer<java.net.http.HttpClient.Builder> customizer = builder -> {};

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

    /** Runs on each JDK builder after version and connect timeout are set. */
    public FailoverHttpClientBuilder customizer(Consumer<java.net.http.HttpClient.Builder> customizer) {
        this.customizer = Objects.requireNonNull(customizer, "customizer");
        return this;
    }

    @Override
    public HttpClient build() {
        java.net.http.HttpClient.Builder builder = java.net.http.HttpClient.newBuilder().version(version);
        if (connectTimeout != null) {
            builder.connectTimeout(connectTimeout);
        }
        customizer.accept(builder);
        return new FailoverHttpClient(builder.build(), readTimeout);
    }
}
