package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.failover4j.support.LogCapture;
import dev.failover4j.support.RecordingHandler;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API keys and secret header values never show up anywhere a user or an operator can see: log lines
 * at any level (TRACE captured), exception messages, causes and stack traces, {@code toString()} of
 * targets, models, config, events, health snapshots and response metadata, LangChain4j listener
 * contexts, and the streaming path — even when providers echo the key in 401/400/500 bodies and in a
 * stream's error event.
 */
class SecretsEverywhereTest {

    private static final String PRIMARY_KEY = "sk-proj-PRIMARYsecret0123456789";
    private static final String BACKUP_KEY = "sk-proj-BACKUPsecret9876543210";
    private static final String HEADER_SECRET = "azure-HEADERsecret-5566778899";
    private static final List<String> SECRETS = List.of(PRIMARY_KEY, BACKUP_KEY, HEADER_SECRET);

    private final MockWebServer primary = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();
    private final List<FailoverEvent> events = new CopyOnWriteArrayList<>();
    private final List<Object> listenerContexts = new CopyOnWriteArrayList<>();
    private LogCapture logs;

    @BeforeEach
    void start() throws IOException {
        primary.start();
        backup.start();
        logs = new LogCapture();
    }

    @AfterEach
    void stop() {
        logs.close();
        primary.close();
        backup.close();
    }

    private FailoverTarget primaryTarget() {
        return FailoverTarget.openAiCompatible("primary").baseUrl(primary.url("/v1").toString())
                .apiKey(PRIMARY_KEY).modelName("gpt-4o-mini").contextWindowTokens(8_000).build();
    }

    private FailoverTarget backupTarget() {
        return FailoverTarget.openAiCompatible("backup")
                .baseUrl(backup.url("/v1").toString() + "?api-version=2024-06-01&api-key=" + BACKUP_KEY)
                .apiKey(BACKUP_KEY).customHeader("api-key", HEADER_SECRET)
                .modelName("gpt-4o").contextWindowTokens(8_000).build();
    }

    private FailoverChatLanguageModel model() {
        return FailoverChatLanguageModel.builder().targets(primaryTarget(), backupTarget()).maxRetries(1)
                .listener(events::add).listeners(List.of(capturingListener())).build();
    }

    private FailoverStreamingChatLanguageModel streamingModel(PartialResponsePolicy policy) {
        return FailoverStreamingChatLanguageModel.builder().targets(primaryTarget(), backupTarget()).maxRetries(1)
                .partialResponsePolicy(policy).listener(events::add).listeners(List.of(capturingListener())).build();
    }

    private ChatModelListener capturingListener() {
        return new ChatModelListener() {
            @Override
            public void onResponse(ChatModelResponseContext context) {
                listenerContexts.add(context.chatResponse());
            }

            @Override
            public void onError(ChatModelErrorContext context) {
                listenerContexts.add(trace(context.error()));
            }
        };
    }

    /** An OpenAI-style error body that quotes every secret back, as some gateways do. */
    private static MockResponse echoing(int status) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Incorrect API key provided: " + String.join(" / ", SECRETS)
                        + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")
                .build();
    }

    private static MockResponse ok(String text) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}""".formatted(text)).build();
    }

    private static String chunk(String text) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]}\n\n";
    }

    private static MockResponse streamOk(String... words) {
        StringBuilder body = new StringBuilder();
        for (String word : words) {
            body.append(chunk(word));
        }
        body.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n").append("data: [DONE]\n\n");
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream").body(body.toString()).build();
    }

    /** Two chunks, then an SSE error event quoting every secret, and the body ends without [DONE]. */
    private static MockResponse streamErrorEchoingKeys() {
        String body = chunk("Hello") + chunk(" there") + "event: error\ndata: {\"error\":{\"message\":\"key "
                + String.join(" / ", SECRETS) + " revoked\",\"type\":\"server_error\"}}\n\n";
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream").body(body).build();
    }

    private static String trace(Throwable error) {
        if (error == null) {
            return "";
        }
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    private String everythingVisible(Object... extra) {
        List<String> parts = new ArrayList<>();
        parts.add(logs.text());
        parts.add(events.toString());
        parts.add(listenerContexts.toString());
        for (Object o : extra) {
            parts.add(o instanceof Throwable t ? trace(t) + t : String.valueOf(o));
        }
        return String.join("\n", parts);
    }

    private static void assertNoSecret(String text) {
        for (String secret : SECRETS) {
            assertThat(text).doesNotContain(secret);
        }
    }

    @Test
    void should_mask_keys_everywhere_when_every_target_fails_echoing_them() {
        // given: 500s quoting the keys on the primary (1 + 1 retry), a 401 quoting them on the backup
        primary.enqueue(echoing(500));
        primary.enqueue(echoing(500));
        backup.enqueue(echoing(401));
        FailoverChatLanguageModel model = model();

        // when
        Throwable error = catchThrowable(() -> model.chat(UserMessage.from("hi")));

        // then
        assertThat(error).isInstanceOf(FailoverException.class);
        FailoverException failover = (FailoverException) error;
        String visible = everythingVisible(error, failover.attempts(), model, model.targets(), model.config(),
                model.health());
        assertNoSecret(visible);
        assertThat(visible).contains("Incorrect API key provided: ****"); // the provider's words survive, masked
        assertThat(logs.text()).contains("SERVER_ERROR");
        assertThat(failover.getCause()).isNotNull();
    }

    @Test
    void should_mask_keys_in_the_response_metadata_and_events_when_a_failover_succeeds_after_echoing_errors() {
        // given
        primary.enqueue(echoing(401));
        backup.enqueue(ok("served"));
        FailoverChatLanguageModel model = model();

        // when
        ChatResponse response = model.chat(UserMessage.from("hi"));

        // then
        FailoverChatResponseMetadata metadata = (FailoverChatResponseMetadata) response.metadata();
        assertThat(metadata.targetName()).isEqualTo("backup");
        assertNoSecret(everythingVisible(response, metadata, metadata.attempts(), model.health()));
        assertThat(metadata.attempts().toString()).contains("AUTHENTICATION");
    }

    @Test
    void should_mask_keys_in_the_callers_own_400_when_it_is_rethrown_as_is() {
        // given: a 400 that is the caller's fault is rethrown without failing over, and quotes the keys
        primary.enqueue(echoing(400));
        FailoverChatLanguageModel model = model();

        // when
        Throwable error = catchThrowable(() -> model.chat(UserMessage.from("hi")));

        // then
        assertThat(error).isNotNull();
        assertNoSecret(everythingVisible(error));
        assertThat(backup.getRequestCount()).isZero();
    }

    @Test
    void should_mask_keys_in_to_string_of_targets_builders_models_and_config() {
        // given
        OpenAiCompatibleTargetBuilder builder = FailoverTarget.openAiCompatible("b")
                .baseUrl("https://user:" + PRIMARY_KEY + "@gateway.example.com/v1?key=" + BACKUP_KEY)
                .apiKey(PRIMARY_KEY).customHeader("api-key", HEADER_SECRET).modelName("m").contextWindowTokens(8_000);
        FailoverTarget target = builder.build();
        FailoverChatLanguageModel sync = FailoverChatLanguageModel.builder().targets(target).build();
        FailoverStreamingChatLanguageModel streaming = FailoverStreamingChatLanguageModel.builder().targets(target).build();

        // then
        assertNoSecret(String.join("\n", builder.toString(), target.toString(), sync.toString(), streaming.toString(),
                sync.config().toString(), sync.health().toString(), streaming.health().toString(), sync.fitting().toString()));
        assertThat(target.toString()).contains("gateway.example.com");
    }

    @Test
    void should_mask_keys_in_validation_messages_when_the_base_url_carries_them() {
        // when
        Throwable error = catchThrowable(() -> FailoverTarget.openAiCompatible("b")
                .baseUrl("ftp://user:" + PRIMARY_KEY + "@gateway.example.com/v1?key=" + BACKUP_KEY)
                .modelName("m").contextWindowTokens(8_000).build());

        // then
        assertThat(error).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://");
        assertNoSecret(trace(error));
    }

    @Test
    void should_mask_keys_in_the_stream_path_when_the_primary_echoes_them_before_streaming() throws InterruptedException {
        // given
        primary.enqueue(echoing(401));
        backup.enqueue(streamOk("Hello", " world"));
        RecordingHandler handler = new RecordingHandler();

        // when
        streamingModel(PartialResponsePolicy.CONTINUE)
                .chat(ChatRequest.builder().messages(UserMessage.from("hi")).build(), handler);

        // then
        handler.await(Duration.ofSeconds(10));
        assertThat(handler.error()).isNull();
        assertThat(handler.text()).isEqualTo("Hello world");
        assertNoSecret(everythingVisible(handler.response(), handler.response().metadata()));
    }

    @Test
    void should_mask_keys_in_the_stream_error_when_every_target_fails_and_one_echoes_them_in_an_error_event()
            throws InterruptedException {
        // given: the primary's stream ends with an error event quoting the keys; the backup answers 500 quoting them
        primary.enqueue(streamErrorEchoingKeys());
        backup.enqueue(echoing(500));
        backup.enqueue(echoing(500));
        RecordingHandler handler = new RecordingHandler();

        // when
        streamingModel(PartialResponsePolicy.FAIL).chat(ChatRequest.builder().messages(UserMessage.from("hi")).build(), handler);

        // then
        handler.await(Duration.ofSeconds(10));
        assertThat(handler.error()).isNotNull();
        assertThat(handler.text()).startsWith("Hello");
        assertNoSecret(everythingVisible(handler.error()));
    }

    @Test
    void should_mask_keys_in_the_stream_error_when_the_continuation_also_fails_echoing_them() throws InterruptedException {
        // given: CONTINUE policy: the primary breaks mid-answer with an echoing error event, the backup's
        // continuation fails with echoing 500s, and so does any further try on the primary
        primary.enqueue(streamErrorEchoingKeys());
        primary.enqueue(echoing(500));
        primary.enqueue(echoing(500));
        backup.enqueue(echoing(500));
        backup.enqueue(echoing(500));
        RecordingHandler handler = new RecordingHandler();

        // when
        streamingModel(PartialResponsePolicy.CONTINUE)
                .chat(ChatRequest.builder().messages(UserMessage.from("hi")).build(), handler);

        // then
        handler.await(Duration.ofSeconds(10));
        assertThat(handler.error()).isNotNull();
        assertNoSecret(everythingVisible(handler.error()));
    }

    @Test
    void should_mask_every_run_of_a_long_key_when_a_500_echoes_it_across_the_detail_cut() {
        // given: a 168-character key echoed after 102 characters of a 500's message (the detail is cut at 300)
        String longKey = "sk-proj-" + "LongSecretKey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ".repeat(3).substring(0, 160);
        MockResponse echo = new MockResponse.Builder().code(500).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"" + "x".repeat(102) + " key " + longKey + " is over quota\"}}").build();
        primary.enqueue(echo);
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(FailoverTarget.openAiCompatible("primary").baseUrl(primary.url("/v1").toString())
                        .apiKey(longKey).modelName("gpt-4o-mini").contextWindowTokens(8_000).build())
                .maxRetries(0).listener(events::add).build();

        // when
        FailoverException error = (FailoverException) catchThrowable(() -> model.chat(UserMessage.from("hi")));

        // then: not even a part of it (any 8 characters in a row) is visible
        String visible = everythingVisible(error, error.attempts(), error.attempts().get(0).error());
        assertThat(longKey).hasSize(168);
        for (int i = 0; i + 8 <= longKey.length(); i++) {
            assertThat(visible).doesNotContain(longKey.substring(i, i + 8));
        }
        assertThat(visible).contains("is over quota");
    }

    @Test
    void should_mask_the_json_escaped_and_url_encoded_forms_of_a_key_when_a_provider_echoes_them() {
        // given: a key with characters that JSON and URLs escape
        String key = "sk-ant/Ab+cd=ef/GHij+KLmn=0123";
        String encoded = java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8);
        MockResponse echo = new MockResponse.Builder().code(401).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"bad key " + key.replace("/", "\\/") + " (from ?key=" + encoded + ")\"}}").build();
        primary.enqueue(echo);
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(FailoverTarget.openAiCompatible("primary").baseUrl(primary.url("/v1").toString())
                        .apiKey(key).modelName("gpt-4o-mini").contextWindowTokens(8_000).build())
                .listener(events::add).build();

        // when
        FailoverException error = (FailoverException) catchThrowable(() -> model.chat(UserMessage.from("hi")));

        // then
        String visible = everythingVisible(error, error.attempts().get(0).error());
        assertThat(visible).doesNotContain(key).doesNotContain(key.replace("/", "\\/")).doesNotContain(encoded)
                .doesNotContain("Ab+cd=ef").doesNotContain("Ab%2Bcd%3Def");
        assertThat(visible).contains("bad key ****");
    }
}
