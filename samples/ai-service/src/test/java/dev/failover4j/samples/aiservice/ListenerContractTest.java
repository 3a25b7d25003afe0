package dev.failover4j.samples.aiservice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.FailoverTarget;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.common.AbstractChatModelListenerIT;
import dev.langchain4j.model.chat.common.AbstractStreamingChatModelListenerIT;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's {@code ChatModelListener} contract against the failover models.
 *
 * <p>{@code should_listen_error} of LangChain4j's {@code AbstractChatModelListenerIT} and
 * {@code AbstractStreamingChatModelListenerIT} runs here unchanged (it is package-private there,
 * hence the reflection). Their {@code should_listen_request_and_response} cannot run unchanged: it
 * asserts that the listener's request carries the model's own default parameters (model name,
 * temperature, topP, max tokens). A failover model's defaults are empty on purpose — each target
 * gets its own model name and must not receive another target's temperature — so listeners see
 * the caller's request, and the served model appears in the response metadata. The test below
 * mirrors every other assertion of that case, with that one deliberate difference.
 */
class ListenerContractTest {

    @Test
    void should_pass_langchain4j_error_contract_for_the_sync_model() throws Throwable {
        FailoverChatModelListenerContract contract = new FailoverChatModelListenerContract();
        try {
            invoke(AbstractChatModelListenerIT.class, "should_listen_error", contract);
        } finally {
            contract.stop();
        }
    }

    @Test
    void should_pass_langchain4j_error_contract_for_the_streaming_model() throws Throwable {
        FailoverStreamingChatModelListenerContract.warmUp();
        FailoverStreamingChatModelListenerContract contract = new FailoverStreamingChatModelListenerContract();
        try {
            invoke(AbstractStreamingChatModelListenerIT.class, "should_listen_error", contract);
        } finally {
            contract.stop();
        }
    }

    @Test
    void should_show_listeners_the_callers_request_and_the_served_response_once_each() {
        try (ChaosOpenAiServer server = ChaosOpenAiServer.builder().name("primary").build().start()) {
            // given
            AtomicReference<ChatModelRequestContext> request = new AtomicReference<>();
            AtomicReference<ChatModelResponseContext> response = new AtomicReference<>();
            AtomicInteger requests = new AtomicInteger();
            AtomicInteger responses = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            ChatModelListener listener = new ChatModelListener() {
                @Override
                public void onRequest(ChatModelRequestContext context) {
                    request.set(context);
                    requests.incrementAndGet();
                    context.attributes().put("id", "12345");
                }

                @Override
                public void onResponse(ChatModelResponseContext context) {
                    response.set(context);
                    responses.incrementAndGet();
                }

                @Override
                public void onError(ChatModelErrorContext context) {
                    errors.incrementAndGet();
                }
            };
            FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                    .targets(FailoverTarget.openAiCompatible("primary").baseUrl(server.baseUrl()).apiKey("sk-contract-test-0000")
                            .modelName(ChaosOpenAiServer.DEFAULT_MODEL_NAME).contextWindowTokens(16_000)
                            .customizeChatModel(chat -> chat.temperature(0.7).topP(1.0).maxTokens(7)).build())
                    .listeners(List.of(listener))
                    .build();
            UserMessage hello = UserMessage.from("hello");
            // when
            ChatResponse answer = model.chat(ChatRequest.builder().messages(hello).temperature(0.2).build());
            // then: the caller's request, as the caller wrote it (no target's defaults mixed in)
            assertThat(request.get().chatRequest().messages()).containsExactly(hello);
            assertThat(request.get().chatRequest().parameters().modelName()).isNull();
            assertThat(request.get().chatRequest().parameters().temperature()).isEqualTo(0.2);
            assertThat(request.get().modelProvider()).isEqualTo(model.provider());
            assertThat(requests).hasValue(1);
            // then: the served response, with the serving model and target
            assertThat(response.get().chatRequest()).isEqualTo(request.get().chatRequest());
            assertThat(response.get().attributes()).containsEntry("id", "12345");
            assertThat(response.get().chatResponse().aiMessage()).isEqualTo(answer.aiMessage());
            assertThat(response.get().chatResponse().metadata().id()).isNotBlank();
            assertThat(response.get().chatResponse().metadata().modelName()).isEqualTo(ChaosOpenAiServer.DEFAULT_MODEL_NAME);
            assertThat(response.get().chatResponse().metadata().tokenUsage().inputTokenCount()).isPositive();
            assertThat(response.get().chatResponse().metadata().tokenUsage().outputTokenCount()).isPositive();
            assertThat(response.get().chatResponse().metadata().finishReason()).isNotNull();
            assertThat(((FailoverChatResponseMetadata) response.get().chatResponse().metadata()).targetName()).isEqualTo("primary");
            assertThat(responses).hasValue(1);
            assertThat(errors).hasValue(0);
            // and the target received its own model name and its own defaults, with the caller's temperature on top
            assertThat(server.requests().get(0).body()).contains("\"model\"").contains(ChaosOpenAiServer.DEFAULT_MODEL_NAME)
                    .contains("0.2");
        }
    }

    private static void invoke(Class<?> declaring, String name, Object contract) throws Throwable {
        Method test = declaring.getDeclaredMethod(name);
        test.setAccessible(true);
        try {
            test.invoke(contract);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
