package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.failover4j.support.MutableClock;
import dev.failover4j.support.OpenAiResponses;
import dev.failover4j.support.RecordingHandler;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code customizeHttpClient} at the wire: a private CA over HTTPS and an HTTP forward proxy, for both
 * the chat and the streaming model, with {@code Retry-After} still kept. Loopback addresses only;
 * {@code upstream.test} is never resolved (the proxy is asked for it by absolute URI).
 */
class HttpClientCustomizerWireTest {

    private static final String KEY = "sk-customizer-test-0123456789";

    private final HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).build();
    private final MockWebServer https = new MockWebServer();
    private final MockWebServer proxy = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();
    private final MutableClock clock = MutableClock.atEpochPlusOneDay();
    private final List<FailoverEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        HeldCertificate serverCertificate = new HeldCertificate.Builder().signedBy(ca)
                .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1").build();
        https.useHttps(new HandshakeCertificates.Builder().heldCertificate(serverCertificate).build().sslSocketFactory());
        https.start(InetAddress.getLoopbackAddress(), 0);
        proxy.start(InetAddress.getLoopbackAddress(), 0);
        backup.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        https.close();
        proxy.close();
        backup.close();
    }

    private Consumer<HttpClient.Builder> trustingThePrivateCa() {
        HandshakeCertificates trust = new HandshakeCertificates.Builder().addTrustedCertificate(ca.certificate()).build();
        return builder -> builder.sslContext(trust.sslContext());
    }

    private Consumer<HttpClient.Builder> throughTheProxy() {
        return builder -> builder.proxy(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.getPort())));
    }

    private static OpenAiCompatibleTargetBuilder target(String name, String baseUrl) {
        return FailoverTarget.openAiCompatible(name).baseUrl(baseUrl).apiKey(KEY).modelName("gpt-4o-mini")
                .contextWindowTokens(8_000);
    }

    private FailoverChatLanguageModel model(FailoverTarget... targets) {
        return FailoverChatLanguageModel.builder().targets(targets).clock(clock).listener(events::add).build();
    }

    private static String servedBy(ChatResponse response) {
        return ((FailoverChatResponseMetadata) response.metadata()).targetName();
    }

    private static MockResponse streamOk(String text) {
        String body = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},\"finish_reason\":null}]}\n\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n";
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream").body(body).build();
    }

    @Test
    void should_call_a_server_signed_by_a_private_ca_when_the_customizer_sets_an_ssl_context() throws InterruptedException {
        // given
        https.enqueue(OpenAiResponses.ok("over tls"));
        FailoverTarget target = target("private-ca", https.url("/v1").toString()).customizeHttpClient(trustingThePrivateCa()).build();

        // when
        ChatResponse response = model(target).chat(UserMessage.from("hi"));

        // then
        assertThat(response.aiMessage().text()).isEqualTo("over tls");
        RecordedRequest request = https.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.getHandshake()).as("TLS handshake").isNotNull();
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void should_fail_the_handshake_when_the_private_ca_is_not_trusted_without_a_customizer() {
        // given: the premise of the test above — the JDK's default trust store does not know the private CA
        FailoverTarget target = target("private-ca", https.url("/v1").toString()).build();

        // when
        Throwable error = catchThrowable(() -> model(target).chat(UserMessage.from("hi")));

        // then
        assertThat(error).isInstanceOf(FailoverException.class)
                .hasMessageContaining("FAILED CONNECTION").hasMessageContaining("unable to find valid certification path");
        assertThat(https.getRequestCount()).isZero();
    }

    @Test
    void should_stream_from_a_server_signed_by_a_private_ca_when_the_customizer_sets_an_ssl_context() throws InterruptedException {
        // given
        https.enqueue(streamOk("streamed over tls"));
        FailoverTarget target = target("private-ca", https.url("/v1").toString()).customizeHttpClient(trustingThePrivateCa()).build();
        RecordingHandler handler = new RecordingHandler();

        // when
        FailoverStreamingChatLanguageModel.builder().targets(target).build()
                .chat(ChatRequest.builder().messages(UserMessage.from("hi")).build(), handler);

        // then
        assertThat(handler.await(Duration.ofSeconds(10)).error()).isNull();
        assertThat(handler.response().aiMessage().text()).isEqualTo("streamed over tls");
        assertThat(https.takeRequest(5, TimeUnit.SECONDS).getHandshake()).isNotNull();
    }

    @Test
    void should_send_the_request_through_the_proxy_by_absolute_uri_when_the_customizer_sets_a_proxy() throws InterruptedException {
        // given
        proxy.enqueue(OpenAiResponses.ok("via proxy"));
        FailoverTarget target = target("proxied", "http://upstream.test/v1").customizeHttpClient(throughTheProxy()).build();

        // when
        ChatResponse response = model(target).chat(UserMessage.from("hi"));

        // then
        assertThat(response.aiMessage().text()).isEqualTo("via proxy");
        RecordedRequest request = proxy.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.getRequestLine()).isEqualTo("POST http://upstream.test/v1/chat/completions HTTP/1.1");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void should_stream_through_the_proxy_when_the_customizer_sets_a_proxy() throws InterruptedException {
        // given
        proxy.enqueue(streamOk("streamed via proxy"));
        FailoverTarget target = target("proxied", "http://upstream.test/v1").customizeHttpClient(throughTheProxy()).build();
        RecordingHandler handler = new RecordingHandler();

        // when
        FailoverStreamingChatLanguageModel.builder().targets(target).build()
                .chat(ChatRequest.builder().messages(UserMessage.from("hi")).build(), handler);

        // then
        assertThat(handler.await(Duration.ofSeconds(10)).error()).isNull();
        assertThat(handler.response().aiMessage().text()).isEqualTo("streamed via proxy");
        assertThat(proxy.takeRequest(5, TimeUnit.SECONDS).getRequestLine())
                .isEqualTo("POST http://upstream.test/v1/chat/completions HTTP/1.1");
    }

    @Test
    void should_keep_retry_after_when_the_http_client_is_customized() {
        // given: the proxied target answers 429 with a Retry-After far longer than the default cool-down
        FailoverConfig defaults = FailoverConfig.builder().build();
        Duration retryAfter = defaults.rateLimitCooldown().multipliedBy(6);
        proxy.enqueue(OpenAiResponses.rateLimited(Long.toString(retryAfter.toSeconds())));
        backup.enqueue(OpenAiResponses.ok("b1"));
        backup.enqueue(OpenAiResponses.ok("b2"));
        FailoverChatLanguageModel model = model(
                target("proxied", "http://upstream.test/v1").customizeHttpClient(throughTheProxy()).build(),
                target("backup", backup.url("/v1").toString()).build());
        model.chat(UserMessage.from("first"));

        // when: past the default cool-down, still inside Retry-After
        clock.advance(defaults.rateLimitCooldown().multipliedBy(2));
        ChatResponse response = model.chat(UserMessage.from("second"));

        // then
        assertThat(servedBy(response)).isEqualTo("backup");
        assertThat(proxy.getRequestCount()).as("calls to the rate-limited target").isEqualTo(1);
        assertThat(events).filteredOn(FailoverEvent.TargetSkipped.class::isInstance)
                .extracting(e -> ((FailoverEvent.TargetSkipped) e).reason()).containsExactly(SkipReason.RATE_LIMITED);
    }

    @Test
    void should_let_the_customizer_win_over_the_targets_own_http_settings() throws InterruptedException {
        // given: the target says HTTP/1.1 (its default); the customizer asks for HTTP/2, which over TLS is
        // negotiated by ALPN — so the server seeing h2 proves the customizer ran after our settings
        https.setProtocols(List.of(okhttp3.Protocol.HTTP_2, okhttp3.Protocol.HTTP_1_1));
        https.enqueue(OpenAiResponses.ok("h2"));
        FailoverTarget target = target("private-ca", https.url("/v1").toString())
                .customizeHttpClient(trustingThePrivateCa().andThen(builder -> builder.version(HttpClient.Version.HTTP_2)))
                .build();

        // when
        model(target).chat(UserMessage.from("hi"));

        // then
        assertThat(https.takeRequest(5, TimeUnit.SECONDS).getVersion()).isEqualTo("HTTP/2");
    }

    @Test
    void should_reject_a_null_http_client_customizer_naming_it() {
        assertThatThrownBy(() -> target("x", "http://127.0.0.1:1/v1").customizeHttpClient(null))
                .isInstanceOf(NullPointerException.class).hasMessage("customizer");
    }
}
