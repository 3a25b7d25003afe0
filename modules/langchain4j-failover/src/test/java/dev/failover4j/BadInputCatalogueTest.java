package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.failover4j.support.OpenAiResponses;
import dev.failover4j.support.RecordingHandler;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A catalogue of bad input: each case gets a clear exception naming the bad value at the earliest
 * point, and nothing reaches the network. Cases where the library passes debatable input through on
 * purpose (it is the provider's to judge) assert what is sent.
 */
class BadInputCatalogueTest {

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiCompatibleTargetBuilder target(String name) {
        return FailoverTarget.openAiCompatible(name).baseUrl(server.url("/v1").toString())
                .apiKey("sk-test-" + name + "-0123456789").modelName("gpt-4o-mini").contextWindowTokens(8_000);
    }

    private FailoverChatLanguageModel model() {
        return FailoverChatLanguageModel.builder().targets(target("a").build()).build();
    }

    private FailoverStreamingChatLanguageModel streamingModel() {
        return FailoverStreamingChatLanguageModel.builder().targets(target("a").build()).build();
    }

    private void assertNothingSent() {
        assertThat(server.getRequestCount()).as("requests sent for invalid input").isZero();
    }

    private RecordedRequest sent() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("request sent").isNotNull();
        return request;
    }

    // ---- messages ---------------------------------------------------------------------------------

    @Test
    void should_reject_an_empty_message_list_when_chatting() {
        Throwable error = catchThrowable(() -> model().chat(new ArrayList<ChatMessage>()));

        assertThat(error).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messages");
        assertNothingSent();
    }

    @Test
    void should_reject_a_null_request_when_chatting() {
        Throwable error = catchThrowable(() -> model().chat((ChatRequest) null));

        assertThat(error).isInstanceOf(RuntimeException.class);
        assertNothingSent();
    }

    @Test
    void should_name_the_index_of_a_null_message_when_the_list_holds_one() {
        // given
        List<ChatMessage> messages = Arrays.asList(UserMessage.from("a"), null, UserMessage.from("b"));

        // when
        Throwable error = catchThrowable(() -> model().chat(ChatRequest.builder().messages(messages).build()));

        // then
        assertThat(error).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messages[1]");
        assertNothingSent();
    }

    @Test
    void should_throw_context_too_large_before_any_request_when_one_message_exceeds_every_window() {
        // given
        FailoverTarget small = target("small").contextWindowTokens(2_000).build();
        FailoverTarget large = target("large").contextWindowTokens(4_000).build();
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(small, large).build();
        String huge = "word ".repeat(20_000);

        // when
        Throwable error = catchThrowable(() -> model.chat(UserMessage.from(huge)));

        // then
        assertThat(error).isInstanceOf(ContextTooLargeException.class)
                .hasMessageContaining("does not fit any target's context window")
                .hasMessageContaining("small").hasMessageContaining("large");
        assertNothingSent();
    }

    @Test
    void should_report_context_too_large_to_the_stream_handler_before_any_request_when_one_message_exceeds_every_window()
            throws InterruptedException {
        // given
        RecordingHandler handler = new RecordingHandler();

        // when
        streamingModel().chat(ChatRequest.builder().messages(UserMessage.from("word ".repeat(20_000))).build(), handler);

        // then
        assertThat(handler.await(Duration.ofSeconds(5)).error()).isInstanceOf(ContextTooLargeException.class);
        assertThat(handler.terminals.get()).isEqualTo(1);
        assertNothingSent();
    }

    @Test
    void should_skip_only_the_too_small_target_when_a_larger_one_takes_the_message() throws InterruptedException {
        // given
        FailoverTarget small = target("small").contextWindowTokens(1_000).build();
        FailoverTarget large = target("large").contextWindowTokens(100_000).build();
        server.enqueue(OpenAiResponses.ok("from large"));

        // when
        ChatResponse response = FailoverChatLanguageModel.builder().targets(small, large).build()
                .chat(UserMessage.from("word ".repeat(5_000)));

        // then
        assertThat(((FailoverChatResponseMetadata) response.metadata()).targetName()).isEqualTo("large");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void should_throw_context_too_large_before_any_request_when_the_requested_output_exceeds_the_window() {
        // given: the request asks for more output tokens than the whole window holds
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hi")).maxOutputTokens(50_000).build();

        // when
        Throwable error = catchThrowable(() -> model().chat(request));

        // then
        assertThat(error).isInstanceOf(ContextTooLargeException.class).hasMessageContaining("a");
        assertNothingSent();
    }

    @Test
    void should_pass_an_unanswered_tool_call_through_to_the_provider_when_it_is_in_the_input() throws InterruptedException {
        // given: an assistant tool call without its result, then a new user turn (debatable input:
        // OpenAI answers 400; the library leaves the judgement to the provider and does not drop it)
        server.enqueue(OpenAiResponses.ok("fine"));
        AiMessage call = AiMessage.from(ToolExecutionRequest.builder().id("call_1").name("weather").arguments("{}").build());

        // when
        model().chat(UserMessage.from("weather?"), call, UserMessage.from("never mind"));

        // then
        String body = sent().getBody().utf8();
        assertThat(body).contains("\"call_1\"").contains("never mind");
    }

    @Test
    void should_rethrow_the_provider_400_as_is_without_failing_over_when_the_input_is_rejected() throws InterruptedException {
        // given: two targets on the same server, the first answers 400 for a malformed tool sequence
        server.enqueue(OpenAiResponses.badRequest());
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("a").build(), target("b").build()).build();
        AiMessage call = AiMessage.from(ToolExecutionRequest.builder().id("call_1").name("weather").arguments("{}").build());

        // when
        Throwable error = catchThrowable(() -> model.chat(UserMessage.from("weather?"), call, UserMessage.from("hm")));

        // then
        assertThat(error).isInstanceOf(dev.langchain4j.exception.InvalidRequestException.class);
        assertThat(server.getRequestCount()).as("a wrong request is not multiplied across targets").isEqualTo(1);
    }

    @Test
    void should_pass_duplicate_tool_call_ids_through_to_the_provider_when_they_are_in_the_input() throws InterruptedException {
        // given
        server.enqueue(OpenAiResponses.ok("fine"));
        AiMessage calls = AiMessage.from(List.of(
                ToolExecutionRequest.builder().id("dup").name("a").arguments("{}").build(),
                ToolExecutionRequest.builder().id("dup").name("b").arguments("{}").build()));

        // when
        model().chat(UserMessage.from("two tools"), calls, ToolExecutionResultMessage.from("dup", "a", "1"),
                ToolExecutionResultMessage.from("dup", "b", "2"), UserMessage.from("and?"));

        // then
        String body = sent().getBody().utf8();
        assertThat(body.split("\"dup\"", -1)).hasSize(5); // two calls and two results, unchanged
    }

    @Test
    void should_not_mutate_or_lose_the_callers_messages_when_the_history_is_truncated() throws InterruptedException {
        // given
        List<ChatMessage> history = new ArrayList<>();
        history.add(SystemMessage.from("be brief"));
        for (int i = 0; i < 200; i++) {
            history.add(UserMessage.from("question " + i + " " + "filler ".repeat(40)));
            history.add(AiMessage.from("answer " + i));
        }
        history.add(UserMessage.from("last"));
        List<ChatMessage> copy = List.copyOf(history);
        server.enqueue(OpenAiResponses.ok("ok"));

        // when
        model().chat(ChatRequest.builder().messages(history).build());

        // then
        assertThat(history).containsExactlyElementsOf(copy);
        assertThat(sent().getBody().utf8()).contains("be brief").contains("last").doesNotContain("question 0 ");
    }

    // ---- targets ----------------------------------------------------------------------------------

    @Test
    void should_use_an_approximate_tokenizer_with_a_margin_when_the_model_name_is_unknown() throws InterruptedException {
        // given
        FailoverTarget target = target("local").modelName("my-private-llama-13b").contextWindowTokens(10_000).build();
        server.enqueue(OpenAiResponses.ok("hello"));

        // when
        ChatResponse response = FailoverChatLanguageModel.builder().targets(target).build().chat(UserMessage.from("hi"));

        // then
        assertThat(target.tokenizer().exact()).isFalse();
        assertThat(target.safetyMarginTokens()).isEqualTo(1_000);
        assertThat(response.aiMessage().text()).isEqualTo("hello");
        assertThat(sent().getBody().utf8()).contains("my-private-llama-13b");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void should_reject_a_non_positive_context_window_naming_it(int window) {
        assertThatThrownBy(() -> target("w").contextWindowTokens(window).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("contextWindowTokens of target 'w' must be positive but was " + window);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -100})
    void should_reject_non_positive_max_output_tokens_naming_them(int tokens) {
        assertThatThrownBy(() -> target("o").maxOutputTokens(tokens).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxOutputTokens of target 'o' must be positive but was " + tokens);
    }

    @Test
    void should_reject_a_safety_margin_that_eats_the_whole_window() {
        assertThatThrownBy(() -> target("m").contextWindowTokens(1_000).safetyMarginTokens(1_000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("safetyMarginTokens of target 'm' must be in [0, 1000) but was 1000");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(doubles = {0.0, -1.0, 0.49, 4.01, Double.NaN, Double.POSITIVE_INFINITY})
    void should_reject_a_token_ratio_outside_half_to_four_naming_it(double ratio) {
        assertThatThrownBy(() -> target("r").tokenRatio(ratio).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tokenRatio of target 'r' must be in [0.5, 4.0] but was " + ratio);
        assertThatThrownBy(() -> FailoverTarget.builder().name("c").chatModel(FailoverTarget.openAiCompatible("x").noApiKey()
                        .baseUrl("http://127.0.0.1:1/v1").modelName("m").contextWindowTokens(1_000).build().chatModel())
                .contextWindowTokens(1_000).tokenRatio(ratio).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenRatio of target 'c'");
    }

    @Test
    void should_reject_a_negative_target_timeout_naming_it() {
        assertThatThrownBy(() -> target("t").timeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout of target 't' must be a positive duration but was PT-1S");
    }

    @ParameterizedTest
    @ValueSource(strings = {"YOUR_API_KEY", "${OPENAI_API_KEY}", "sk-...", "<api-key>", "changeme", "xxxxxxxx"})
    void should_reject_placeholder_keys_naming_the_target(String key) {
        assertThatThrownBy(() -> target("k").apiKey(key).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("apiKey of target 'k' is a placeholder");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void should_reject_blank_keys_naming_the_target(String key) {
        assertThatThrownBy(() -> target("k").apiKey(key).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("apiKey of target 'k' is blank");
    }

    @Test
    void should_reject_a_key_with_surrounding_white_space_without_echoing_it() {
        assertThatThrownBy(() -> target("k").apiKey(" sk-real-looking-key-123456 ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leading or trailing white space")
                .message().doesNotContain("sk-real-looking-key-123456");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/v1", "localhost:8080/v1", "file:///etc/passwd", "api.openai.com/v1",
            "ws://127.0.0.1:1/v1", "http:///v1"})
    void should_reject_base_urls_that_are_not_http_naming_them(String url) {
        assertThatThrownBy(() -> target("u").baseUrl(url).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl of target 'u' must be an http(s) URL with a host but was '" + url + "'");
    }

    // ---- target settings that could never work: rejected at build(), never echoing a secret -------

    private static final String SECRET = "SECRET-4f9a1c";

    private static void assertNoSecretIn(Throwable error) {
        assertThat(error).as("rejected at build()").isInstanceOf(IllegalArgumentException.class);
        assertThat(error.getMessage()).doesNotContain(SECRET).doesNotContain("SECRET").doesNotContain("sk-").doesNotContain("X-Evil").doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void should_reject_a_null_key_naming_the_target_and_the_setters_when_the_environment_variable_is_unset() {
        // given: the README Quickstart's apiKey(System.getenv("DEEPSEEK_API_KEY")) with the variable unset
        String unset = null;

        // when
        Throwable error = catchThrowable(() -> target("k").apiKey(unset).build());

        // then
        assertThat(error).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("apiKey of target 'k' is null; call apiKey(...)").hasMessageContaining("noApiKey()");
    }

    @Test
    void should_send_no_authorization_header_when_the_target_declares_no_api_key() throws InterruptedException {
        // given
        server.enqueue(OpenAiResponses.ok("local"));
        FailoverTarget local = target("local").apiKey(null).noApiKey().build();

        // when
        FailoverChatLanguageModel.builder().targets(local).build().chat(UserMessage.from("hi"));

        // then
        assertThat(sent().getHeaders().get("Authorization")).isNull();
    }

    @Test
    void should_reject_a_key_with_a_line_break_naming_the_index_and_not_the_key_when_it_would_inject_a_header() {
        assertThatThrownBy(() -> target("x").apiKey("sk-real-" + SECRET.substring(0, 6) + "\r\nX-Evil: 1").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("apiKey of target 'x' contains a control character at index 14;")
                .satisfies(BadInputCatalogueTest::assertNoSecretIn);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sk-" + SECRET + "\u0000", "sk-" + SECRET + "\u007f", "\u001bsk-" + SECRET, "sk-" + SECRET + "\t1"})
    void should_reject_a_key_with_any_control_character_without_echoing_it(String key) {
        assertThatThrownBy(() -> target("x").apiKey(key).build())
                .hasMessageContaining("apiKey of target 'x' contains a control character at index " + indexOfControl(key))
                .satisfies(BadInputCatalogueTest::assertNoSecretIn);
    }

    private static int indexOfControl(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) < 0x20 || key.charAt(i) == 0x7f) {
                return i;
            }
        }
        throw new AssertionError("no control character");
    }

    @Test
    void should_reject_a_key_with_inner_white_space_naming_the_index_and_not_the_key() {
        assertThatThrownBy(() -> target("x").apiKey("sk-" + SECRET + " 2").build())
                .hasMessageStartingWith("apiKey of target 'x' contains white space at index 16;")
                .satisfies(BadInputCatalogueTest::assertNoSecretIn);
        assertThatThrownBy(() -> target("x").apiKey("sk-" + SECRET + "\u00a02").build())
                .hasMessageStartingWith("apiKey of target 'x' contains white space at index 16;")
                .satisfies(BadInputCatalogueTest::assertNoSecretIn);
    }

    @Test
    void should_reject_a_non_ascii_key_naming_the_index_and_not_the_key() {
        assertThatThrownBy(() -> target("x").apiKey("sk-" + SECRET + "é").build())
                .hasMessageStartingWith("apiKey of target 'x' contains a non-ASCII character at index 16;")
                .satisfies(BadInputCatalogueTest::assertNoSecretIn);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "host", "Connection", "Content-Length", "Expect", "UPGRADE"})
    void should_reject_a_header_the_jdk_refuses_to_send_naming_it_and_not_its_value(String header) {
        assertThatThrownBy(() -> target("h").customHeader(header, SECRET).build())
                .hasMessageStartingWith("customHeader '" + header + "' of target 'h' is a header the JDK HTTP client sets itself")
                .hasMessageContaining("jdk.httpclient.allowRestrictedHeaders")
                .satisfies(BadInputCatalogueTest::assertNoSecretIn);
    }

    @Test
    void should_accept_a_restricted_header_when_the_jvm_allows_it_by_the_system_property() {
        // given
        String previous = System.getProperty("jdk.httpclient.allowRestrictedHeaders");
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "connection, Host");
        try {
            // when
            FailoverTarget target = target("h").customHeader("Host", "gateway.internal").build();

            // then
            assertThat(target.name()).isEqualTo("h");
            assertThatThrownBy(() -> target("h").customHeader("Upgrade", "x").build())
                    .hasMessageStartingWith("customHeader 'Upgrade' of target 'h' is a header the JDK HTTP client sets itself");
        } finally {
            if (previous == null) {
                System.clearProperty("jdk.httpclient.allowRestrictedHeaders");
            } else {
                System.setProperty("jdk.httpclient.allowRestrictedHeaders", previous);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"X Tenant", "X-Tenant:", "api-kéy", "(comment)", "X-Tenant\r"})
    void should_reject_a_header_name_that_is_not_an_rfc_9110_token_naming_the_index(String header) {
        assertThatThrownBy(() -> target("h").customHeader(header, SECRET).build())
                .hasMessageContaining("of target 'h' is not a valid header name: character at index")
                .satisfies(BadInputCatalogueTest::assertNoSecretIn);
    }

    @Test
    void should_reject_an_empty_header_name() {
        assertThatThrownBy(() -> target("h").customHeader("", SECRET).build())
                .hasMessage("customHeader name of target 'h' must not be empty")
                .satisfies(BadInputCatalogueTest::assertNoSecretIn);
    }

    @ParameterizedTest
    @ValueSource(strings = {SECRET + "\r\nX-Evil: 1", SECRET + "\n", "\u0000" + SECRET, SECRET + "\u007f"})
    void should_reject_a_header_value_with_a_control_character_naming_the_header_and_the_index_but_not_the_value(String value) {
        assertThatThrownBy(() -> target("h").customHeader("api-key", value).build())
                .hasMessageStartingWith("customHeader 'api-key' of target 'h' has a control character at index "
                        + indexOfControl(value) + " of its value")
                .satisfies(BadInputCatalogueTest::assertNoSecretIn);
    }

    @Test
    void should_reject_a_header_value_beyond_latin_1_without_echoing_it() {
        assertThatThrownBy(() -> target("h").customHeader("api-key", SECRET + "中").build())
                .hasMessageStartingWith("customHeader 'api-key' of target 'h' has a character beyond ISO-8859-1 at index 13")
                .satisfies(BadInputCatalogueTest::assertNoSecretIn);
    }

    @Test
    void should_send_a_header_value_with_a_tab_when_it_is_otherwise_valid() throws InterruptedException {
        // given: HTAB is allowed inside a field value (RFC 9110)
        server.enqueue(OpenAiResponses.ok("ok"));
        FailoverTarget target = target("h").customHeader("X-Tenant", "a\tb").build();

        // when
        FailoverChatLanguageModel.builder().targets(target).build().chat(UserMessage.from("hi"));

        // then
        assertThat(sent().getHeaders().get("X-Tenant")).isEqualTo("a\tb");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65_536, 99_999_999})
    void should_reject_a_base_url_whose_port_can_never_be_connected_naming_it(int port) {
        assertThatThrownBy(() -> target("u").baseUrl("http://127.0.0.1:" + port + "/v1").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl of target 'u' has port " + port + " but a port must be in 1..65535: 'http://127.0.0.1:"
                        + port + "/v1'");
    }

    @Test
    void should_reject_output_and_margin_that_leave_no_room_in_the_window_when_built_for_an_open_ai_compatible_target() {
        assertThatThrownBy(() -> target("x").contextWindowTokens(100).maxOutputTokens(60).safetyMarginTokens(60).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxOutputTokens (60) + safetyMarginTokens (60) of target 'x' leave no room in contextWindowTokens (100)");
    }

    @Test
    void should_reject_output_and_margin_that_leave_no_room_in_the_window_when_built_around_any_chat_model() {
        // given
        dev.langchain4j.model.chat.ChatModel any = new dev.langchain4j.model.chat.ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                return ChatResponse.builder().aiMessage(AiMessage.from("x")).build();
            }
        };

        // when
        Throwable error = catchThrowable(() -> FailoverTarget.builder().name("x").chatModel(any).contextWindowTokens(100)
                .maxOutputTokens(40).safetyMarginTokens(60).build());

        // then
        assertThat(error).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxOutputTokens (40) + safetyMarginTokens (60) of target 'x' leave no room in contextWindowTokens (100)");
    }

    @Test
    void should_name_the_default_margin_when_an_approximate_tokenizer_leaves_no_room_for_the_output() {
        assertThatThrownBy(() -> target("x").modelName("my-private-llama").contextWindowTokens(1_000).maxOutputTokens(950).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxOutputTokens (950) + safetyMarginTokens (100, the default for an approximate tokenizer) "
                        + "of target 'x' leave no room in contextWindowTokens (1000)");
    }

    @Test
    void should_accept_output_and_margin_that_leave_one_token_when_the_window_is_tight() {
        assertThat(target("x").contextWindowTokens(100).maxOutputTokens(60).safetyMarginTokens(39).build().name()).isEqualTo("x");
    }

    @Test
    void should_require_a_chat_model_for_a_custom_target() {
        assertThatThrownBy(() -> FailoverTarget.builder().name("c").contextWindowTokens(1_000).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("chatModel of target 'c' is required");
    }

    @Test
    void should_keep_its_own_copy_of_the_targets_when_the_callers_list_is_mutated_after_build() throws InterruptedException {
        // given
        List<FailoverTarget> targets = new ArrayList<>(List.of(target("a").build()));
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(targets).build();
        server.enqueue(OpenAiResponses.ok("still a"));

        // when
        targets.clear();
        targets.add(FailoverTarget.openAiCompatible("evil").baseUrl("http://127.0.0.1:1/v1").noApiKey().modelName("m")
                .contextWindowTokens(1_000).build());
        ChatResponse response = model.chat(UserMessage.from("hi"));

        // then
        assertThat(model.targets()).extracting(FailoverTarget::name).containsExactly("a");
        assertThat(((FailoverChatResponseMetadata) response.metadata()).targetName()).isEqualTo("a");
        assertThatThrownBy(() -> model.targets().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void should_keep_its_own_copy_of_the_targets_when_the_builder_is_reused_after_build() {
        // given
        FailoverChatLanguageModel.Builder builder = FailoverChatLanguageModel.builder().targets(target("a").build());
        FailoverChatLanguageModel first = builder.build();

        // when
        builder.targets(target("b").build());

        // then
        assertThat(first.targets()).extracting(FailoverTarget::name).containsExactly("a");
    }

    // ---- limits -----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void should_reject_non_positive_attempt_timeouts_and_deadlines_naming_them(long seconds) {
        Duration bad = Duration.ofSeconds(seconds);
        assertThatThrownBy(() -> FailoverChatLanguageModel.builder().targets(target("a").build()).attemptTimeout(bad).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attemptTimeout must be a positive duration but was " + bad);
        assertThatThrownBy(() -> FailoverChatLanguageModel.builder().targets(target("a").build()).deadline(bad).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deadline must be a positive duration but was " + bad);
    }

    @Test
    void should_reject_a_null_timeout_naming_it() {
        assertThatThrownBy(() -> FailoverChatLanguageModel.builder().targets(target("a").build()).deadline(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deadline must be a positive duration but was null");
    }

    @Test
    void should_reject_negative_retries_naming_them() {
        assertThatThrownBy(() -> FailoverChatLanguageModel.builder().targets(target("a").build()).maxRetries(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetries must not be negative but was -1");
    }

    @Test
    void should_reject_nonsense_backoff_numbers_naming_them() {
        assertThatThrownBy(() -> FailoverConfig.builder().backoffFactor(Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("backoffFactor must be >= 1 but was NaN");
        assertThatThrownBy(() -> FailoverConfig.builder().jitter(1.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("jitter must be in [0, 1) but was 1.5");
        assertThatThrownBy(() -> FailoverConfig.builder().failureRateThreshold(0, 20).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failureRateThreshold must be positive but was 0");
    }

    @Test
    void should_reject_absurdly_long_timeouts_naming_the_value() {
        assertThatThrownBy(() -> FailoverChatLanguageModel.builder().targets(target("a").build())
                        .attemptTimeout(Duration.ofDays(100_000)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attemptTimeout must be at most 100 years (PT876000H) but was PT2400000H");
        assertThatThrownBy(() -> FailoverChatLanguageModel.builder().targets(target("a").build())
                        .deadline(Duration.ofDays(100_000)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("deadline must be at most 100 years");
        assertNothingSent();
    }

    @Test
    void should_answer_normally_when_timeouts_are_long_but_sane() {
        // given
        server.enqueue(OpenAiResponses.ok("patient"));
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(target("a").build())
                .attemptTimeout(Duration.ofDays(365)).deadline(Duration.ofDays(3_650)).build();

        // when
        ChatResponse response = model.chat(UserMessage.from("hi"));

        // then
        assertThat(response.aiMessage().text()).isEqualTo("patient");
    }

    @Test
    void should_fail_at_build_or_answer_when_timeouts_overflow_nanoseconds() {
        // given: ~292 years is the most a Duration holds in nanoseconds; beyond it, toNanos() overflows
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        server.enqueue(OpenAiResponses.ok("patient"));

        // when
        Throwable atBuild = catchThrowable(() -> FailoverChatLanguageModel.builder().targets(target("a").build())
                .attemptTimeout(forever).deadline(forever).build());
        Throwable atCall = atBuild != null ? null : catchThrowable(() -> FailoverChatLanguageModel.builder()
                .targets(target("a").build()).attemptTimeout(forever).deadline(forever).build().chat(UserMessage.from("hi")));

        // then: either a clear message naming the setting at build(), or a normal answer
        if (atBuild != null) {
            assertThat(atBuild).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT");
        } else {
            assertThat(atCall).as("a call with an overflowing timeout").isNull();
        }
    }

    @Test
    void should_reject_non_positive_stream_timeouts_naming_them() {
        assertThatThrownBy(() -> FailoverStreamingChatLanguageModel.builder().targets(target("a").build())
                .firstTokenTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("firstTokenTimeout").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> FailoverStreamingChatLanguageModel.builder().targets(target("a").build())
                .idleTimeout(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout").hasMessageContaining("PT-0.001S");
    }

    // ---- listeners and handlers -------------------------------------------------------------------

    @Test
    void should_answer_when_a_failover_listener_throws() {
        // given
        server.enqueue(OpenAiResponses.ok("despite the listener"));
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(target("a").build())
                .listener(event -> {
                    throw new IllegalStateException("listener bug");
                })
                .build();

        // when
        ChatResponse response = model.chat(UserMessage.from("hi"));

        // then
        assertThat(response.aiMessage().text()).isEqualTo("despite the listener");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void should_answer_when_a_chat_model_listener_throws() {
        // given
        server.enqueue(OpenAiResponses.ok("despite the listener"));
        ChatModelListener throwing = new ChatModelListener() {
            @Override
            public void onRequest(ChatModelRequestContext context) {
                throw new IllegalStateException("listener bug");
            }
        };
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(target("a").build())
                .listeners(List.of(throwing)).build();

        // when
        ChatResponse response = model.chat(UserMessage.from("hi"));

        // then
        assertThat(response.aiMessage().text()).isEqualTo("despite the listener");
    }

    @Test
    void should_reject_a_null_stream_handler_before_any_request() throws InterruptedException {
        // given
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hi")).build();

        // when
        Throwable error = catchThrowable(() -> streamingModel().chat(request, null));

        // then: a stream is asynchronous, so give a wrongly started one a moment to reach the server
        RecordedRequest sent = server.takeRequest(1, TimeUnit.SECONDS);
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(error).as("thrown at once").isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("handler");
            softly.assertThat(sent).as("request sent for a call with a null handler").isNull();
        });
    }

    @Test
    void should_reject_a_null_message_in_a_stream_before_any_request() throws InterruptedException {
        // given
        RecordingHandler handler = new RecordingHandler();
        List<ChatMessage> messages = Arrays.asList(UserMessage.from("a"), null);

        // when
        Throwable thrown = catchThrowable(() -> streamingModel().chat(ChatRequest.builder().messages(messages).build(), handler));

        // then: either thrown at once or reported once to the handler, naming the index
        Throwable error = thrown != null ? thrown : handler.await(Duration.ofSeconds(5)).error();
        assertThat(error).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messages[1]");
        assertNothingSent();
    }
}
