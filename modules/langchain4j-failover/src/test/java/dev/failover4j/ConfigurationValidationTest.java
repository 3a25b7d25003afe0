package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Bad configuration fails at build() with a message that names the bad value. */
class ConfigurationValidationTest {

    private static final ChatModel MODEL = new ChatModel() {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            return ChatResponse.builder().aiMessage(AiMessage.from("x")).build();
        }
    };

    private static FailoverTarget target(String name) {
        return FailoverTarget.builder().name(name).chatModel(MODEL).contextWindowTokens(1_000).build();
    }

    private static OpenAiCompatibleTargetBuilder openAi() {
        return FailoverTarget.openAiCompatible("p").baseUrl("http://127.0.0.1:1/v1").modelName("m").contextWindowTokens(1_000);
    }

    @Test
    void should_reject_no_targets() {
        assertThatThrownBy(() -> FailoverChatLanguageModel.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("at least one target is required");
    }

    @Test
    void should_reject_duplicate_target_names() {
        assertThatThrownBy(() -> FailoverChatLanguageModel.builder().targets(target("a"), target("a")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("duplicate target name 'a'");
    }

    @Test
    void should_reject_a_null_target() {
        assertThatThrownBy(() -> FailoverChatLanguageModel.builder().targets(target("a"), null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("targets[1] is null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void should_reject_blank_target_names(String name) {
        assertThatThrownBy(() -> target(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target name must not be blank but was '" + name + "'");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5})
    void should_reject_non_positive_context_windows(int window) {
        assertThatThrownBy(() -> FailoverTarget.builder().name("a").chatModel(MODEL).contextWindowTokens(window).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("contextWindowTokens of target 'a' must be positive but was " + window);
    }

    @Test
    void should_require_a_context_window() {
        assertThatThrownBy(() -> FailoverTarget.builder().name("a").chatModel(MODEL).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("contextWindowTokens of target 'a' is required");
    }

    @Test
    void should_reject_max_output_tokens_not_below_the_window() {
        assertThatThrownBy(() -> FailoverTarget.builder().name("a").chatModel(MODEL).contextWindowTokens(100)
                        .maxOutputTokens(100).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 100");
    }

    @Test
    void should_reject_non_positive_timeouts() {
        assertThatThrownBy(() -> FailoverChatLanguageModel.builder().targets(target("a")).attemptTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("attemptTimeout must be a positive duration but was PT0S");
        assertThatThrownBy(() -> FailoverChatLanguageModel.builder().targets(target("a")).deadline(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("deadline must be a positive duration but was PT-1S");
        assertThatThrownBy(() -> FailoverChatLanguageModel.builder().targets(target("a")).maxRetries(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxRetries must not be negative but was -1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"YOUR_API_KEY", "your-openai-key", "sk-xxx", "sk-xxxxxxxxxxxx", "<key>", "<your api key>",
            "changeme", "${OPENAI_API_KEY}", "$OPENAI_API_KEY", "..."})
    void should_reject_placeholder_api_keys(String key) {
        assertThatThrownBy(() -> openAi().apiKey(key).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKey of target 'p' is a placeholder ('" + key + "'); set a real key, e.g. from an environment variable");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void should_reject_blank_api_keys(String key) {
        assertThatThrownBy(() -> openAi().apiKey(key).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("apiKey of target 'p' is blank");
    }

    @Test
    void should_accept_no_api_key_when_the_target_declares_it_needs_none_and_a_real_looking_one() {
        assertThat(openAi().noApiKey().build().name()).isEqualTo("p");
        assertThat(openAi().apiKey("sk-proj-9fA3kQ7mZ2").build().name()).isEqualTo("p");
        assertThat(openAi().apiKey(null).noApiKey().build().name()).as("an unset variable, then noApiKey()").isEqualTo("p");
    }

    @Test
    void should_reject_a_null_api_key_naming_the_target_and_both_setters_when_no_api_key_is_not_declared() {
        // given: what System.getenv returns for a variable that is not set
        String unset = null;

        // when
        Throwable error = catchThrowable(() -> openAi().apiKey(unset).build());

        // then
        assertThat(error).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("apiKey of target 'p' is null")
                .hasMessageContaining("apiKey(...)").hasMessageContaining("noApiKey()");
    }

    @Test
    void should_reject_a_target_without_any_key_setting_when_no_api_key_is_not_declared() {
        assertThatThrownBy(() -> openAi().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("apiKey of target 'p' is null");
    }

    @Test
    void should_reject_both_a_key_and_no_api_key_without_echoing_the_key_whichever_comes_last() {
        // given
        String key = "sk-proj-9fA3kQ7mZ2secret";

        // when
        Throwable keyFirst = catchThrowable(() -> openAi().apiKey(key).noApiKey().build());
        Throwable keyLast = catchThrowable(() -> openAi().noApiKey().apiKey(key).build());

        // then
        for (Throwable error : List.of(keyFirst, keyLast)) {
            assertThat(error).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("target 'p' sets both apiKey(...) and noApiKey(); call apiKey(...) for a server that "
                            + "needs a key, or noApiKey() for one that needs none");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/v1", "example.com/v1", "http://", "file:///etc/passwd"})
    void should_reject_base_urls_that_are_not_http(String url) {
        assertThatThrownBy(() -> openAi().baseUrl(url).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("baseUrl of target 'p' must be an http(s) URL with a host but was '" + url);
    }

    @Test
    void should_require_a_model_name_for_open_ai_compatible_targets() {
        assertThatThrownBy(() -> FailoverTarget.openAiCompatible("p").baseUrl("http://127.0.0.1:1/v1").noApiKey().contextWindowTokens(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("modelName of target 'p' is required but was null");
    }

    @Test
    void should_reject_bad_breaker_and_backoff_settings() {
        assertThatThrownBy(() -> FailoverConfig.builder().failureRateThreshold(30, 20).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failureRateThreshold must be <= failureRateWindow (20) but was 30");
        assertThatThrownBy(() -> FailoverConfig.builder().jitter(1.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("jitter must be in [0, 1) but was 1.5");
        assertThatThrownBy(() -> FailoverConfig.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBackoff must be >= initialBackoff");
    }

    @Test
    void should_reject_null_chat_model_listener_elements() {
        assertThatThrownBy(() -> FailoverChatLanguageModel.builder().listeners(java.util.Arrays.asList(null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("listeners[0] is null");
        assertThat(List.of()).isEmpty();
    }
}
