package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.failover4j.support.LogCapture;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Model-level contract with in-memory ChatModels: listeners, capabilities, parameters, input checks. */
class FailoverChatLanguageModelTest {

    private static ChatModel answering(String text, Capability... capabilities) {
        return new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                return ChatResponse.builder().aiMessage(AiMessage.from(text)).build();
            }

            @Override
            public Set<Capability> supportedCapabilities() {
                return Set.of(capabilities);
            }
        };
    }

    private static ChatModel failing() {
        return new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                throw new InternalServerException("down");
            }
        };
    }

    private static FailoverTarget target(String name, ChatModel model) {
        return FailoverTarget.builder().name(name).chatModel(model).contextWindowTokens(8_000).build();
    }

    private static FailoverConfig fast() {
        return FailoverConfig.builder().maxRetries(0).build();
    }

    @Test
    void should_fire_chat_model_listeners_once_per_call_when_failing_over() {
        // given
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger responses = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ChatModelListener listener = new ChatModelListener() {
            @Override
            public void onRequest(ChatModelRequestContext context) {
                requests.incrementAndGet();
            }

            @Override
            public void onResponse(ChatModelResponseContext context) {
                responses.incrementAndGet();
                assertThat(context.chatResponse().metadata()).isInstanceOf(FailoverChatResponseMetadata.class);
            }

            @Override
            public void onError(ChatModelErrorContext context) {
                errors.incrementAndGet();
            }
        };
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("a", failing()), target("b", answering("ok")))
                .config(fast())
                .listeners(List.of(listener))
                .build();
        // when
        model.chat(UserMessage.from("hi"));
        // then
        assertThat(requests).hasValue(1);
        assertThat(responses).hasValue(1);
        assertThat(errors).hasValue(0);
    }

    @Test
    void should_complete_the_call_and_log_once_when_a_failover_listener_throws() {
        // given
        AtomicInteger seen = new AtomicInteger();
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("a", failing()), target("b", answering("ok")))
                .config(fast())
                .listener(event -> {
                    throw new IllegalStateException("listener bug");
                })
                .listener(event -> seen.incrementAndGet())
                .build();
        try (LogCapture logs = new LogCapture()) {
            // when
            ChatResponse first = model.chat(UserMessage.from("hi"));
            ChatResponse second = model.chat(UserMessage.from("again"));
            // then
            assertThat(first.aiMessage().text()).isEqualTo("ok");
            assertThat(second.aiMessage().text()).isEqualTo("ok");
            assertThat(seen.get()).isGreaterThanOrEqualTo(8);
            assertThat(logs.events()).filteredOn(e -> e.getLevel() == Level.WARN
                            && e.getFormattedMessage().contains("FailoverListener"))
                    .hasSize(1);
        }
    }

    @Test
    void should_report_the_intersection_of_the_targets_capabilities() {
        // given
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("a", answering("x", Capability.RESPONSE_FORMAT_JSON_SCHEMA)), target("b", answering("y")))
                .build();
        FailoverChatLanguageModel both = FailoverChatLanguageModel.builder()
                .targets(target("a", answering("x", Capability.RESPONSE_FORMAT_JSON_SCHEMA)),
                        target("b", answering("y", Capability.RESPONSE_FORMAT_JSON_SCHEMA)))
                .build();
        // then
        assertThat(model.supportedCapabilities()).isEmpty();
        assertThat(both.supportedCapabilities()).containsExactly(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    @Test
    void should_have_empty_default_request_parameters() {
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(target("a", answering("x"))).build();
        assertThat(model.defaultRequestParameters()).isEqualTo(DefaultChatRequestParameters.EMPTY);
    }

    @Test
    void should_reject_a_null_message_naming_its_index_before_any_target_is_called() {
        // given
        AtomicInteger calls = new AtomicInteger();
        ChatModel counting = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                calls.incrementAndGet();
                return ChatResponse.builder().aiMessage(AiMessage.from("x")).build();
            }
        };
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(target("a", counting)).build();
        List<ChatMessage> messages = new ArrayList<>(Arrays.asList(UserMessage.from("a"), null));
        // when / then
        assertThatThrownBy(() -> model.chat(messages))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messages[1] is null");
        assertThat(calls).hasValue(0);
        assertThat(messages).hasSize(2);
    }

    @Test
    void should_reject_an_empty_message_list() {
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(target("a", answering("x"))).build();
        assertThatThrownBy(() -> model.chat(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messages");
    }

    @Test
    void should_not_change_the_targets_when_the_callers_list_is_mutated_after_build() {
        // given
        List<FailoverTarget> targets = new ArrayList<>(List.of(target("a", answering("from a"))));
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(targets).build();
        // when
        targets.clear();
        // then
        assertThat(model.targets()).extracting(FailoverTarget::name).containsExactly("a");
        assertThat(model.chat("hi")).isEqualTo("from a");
    }

    @Test
    void should_name_the_serving_target_in_a_response_that_survives_to_builder() {
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("a", failing()), target("b", answering("ok"))).config(fast()).build();
        ChatResponse response = model.chat(UserMessage.from("hi"));
        FailoverChatResponseMetadata metadata = (FailoverChatResponseMetadata) response.metadata();
        assertThat(metadata.targetName()).isEqualTo("b");
        assertThat(metadata.toBuilder().build()).isEqualTo(metadata);
    }
}
