package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.failover4j.support.LogCapture;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A target around a LangChain4j model that retries by itself multiplies the failover retries (a plain
 * {@code OpenAiChatModel} retries twice: 3 × 3 = 9 requests to a primary answering 500): one WARN at build.
 */
class SelfRetryingModelWarningTest {

    private static final String KEY = "sk-warning-test-SECRET-0123456789";

    private static OpenAiChatModel.OpenAiChatModelBuilder openAi() {
        return OpenAiChatModel.builder().baseUrl("http://127.0.0.1:1/v1").apiKey(KEY).modelName("gpt-4o-mini");
    }

    private static List<ILoggingEvent> warnings(LogCapture log) {
        return log.events().stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    @Test
    void should_warn_once_naming_the_target_when_its_chat_model_is_a_plain_open_ai_chat_model() {
        try (LogCapture log = new LogCapture()) {
            // given: the Quickstart's chatModel(anyChatModel) with LangChain4j's default maxRetries (2)
            OpenAiChatModel model = openAi().build();

            // when
            FailoverTarget.builder().name("backup").chatModel(model).contextWindowTokens(128_000).build();

            // then
            assertThat(warnings(log)).singleElement().satisfies(warning -> {
                assertThat(warning.getLoggerName()).isEqualTo(FailoverTarget.class.getName());
                assertThat(warning.getFormattedMessage())
                        .startsWith("Target 'backup': its chatModel (OpenAiChatModel) retries by itself (maxRetries 2)")
                        .contains("up to 9 requests").contains("maxRetries(0)")
                        .contains("FailoverTarget.openAiCompatible(\"backup\").customizeChatModel(...)")
                        .doesNotContain(KEY).doesNotContain("SECRET");
            });
        }
    }

    @Test
    void should_name_the_configured_retries_when_the_model_sets_its_own() {
        try (LogCapture log = new LogCapture()) {
            // when
            FailoverTarget.builder().name("eager").chatModel(openAi().maxRetries(4).build()).contextWindowTokens(8_000).build();

            // then
            assertThat(warnings(log)).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                    .contains("(maxRetries 4)").contains("up to 15 requests");
        }
    }

    @Test
    void should_not_warn_when_the_model_is_built_with_max_retries_0() {
        try (LogCapture log = new LogCapture()) {
            // when
            FailoverTarget.builder().name("quiet").chatModel(openAi().maxRetries(0).build())
                    .streamingChatModel(OpenAiStreamingChatModel.builder().baseUrl("http://127.0.0.1:1/v1").apiKey(KEY)
                            .modelName("gpt-4o-mini").build())
                    .contextWindowTokens(8_000).build();

            // then
            assertThat(warnings(log)).isEmpty();
        }
    }

    @Test
    void should_not_warn_when_an_open_ai_compatible_target_keeps_the_users_settings_but_not_their_retries() {
        try (LogCapture log = new LogCapture()) {
            // given: customizeChatModel is the path that keeps a user's OpenAiChatModel settings
            FailoverTarget compatible = FailoverTarget.openAiCompatible("primary").baseUrl("http://127.0.0.1:1/v1").apiKey(KEY)
                    .modelName("gpt-4o-mini").contextWindowTokens(8_000)
                    .customizeChatModel(builder -> builder.maxRetries(5).temperature(0.2)).build();

            // when: even its model reused around any ChatModel (maxRetries(0) won over the customizer's 5)
            FailoverTarget.builder().name("reused").chatModel(compatible.chatModel()).contextWindowTokens(8_000).build();

            // then
            assertThat(warnings(log)).isEmpty();
        }
    }

    @Test
    void should_not_warn_when_the_chat_model_is_not_one_known_to_retry() {
        try (LogCapture log = new LogCapture()) {
            // given
            ChatModel own = new ChatModel() {
                @Override
                public ChatResponse doChat(ChatRequest request) {
                    return ChatResponse.builder().aiMessage(AiMessage.from("x")).build();
                }
            };

            // when
            FailoverTarget.builder().name("own").chatModel(own).contextWindowTokens(8_000).build();

            // then
            assertThat(warnings(log)).isEmpty();
        }
    }
}
