package dev.failover4j.samples.aiservice;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverException;
import dev.failover4j.FailoverTarget;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.common.AbstractChatModelListenerIT;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * LangChain4j's own {@code ChatModelListener} contract (from the {@code langchain4j-core} test-jar) wired to the
 * failover model over a chaos server. Not run by itself (no {@code Test} suffix): {@link ListenerContractTest}
 * runs its {@code should_listen_error} unchanged and explains why {@code should_listen_request_and_response}
 * is mirrored instead.
 */
class FailoverChatModelListenerContract extends AbstractChatModelListenerIT {

    private final ChaosOpenAiServer server = ChaosOpenAiServer.builder().name("primary").build().start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Override
    protected ChatModel createModel(ChatModelListener listener) {
        return FailoverChatLanguageModel.builder().targets(target()).listeners(List.of(listener)).build();
    }

    @Override
    protected ChatModel createFailingModel(ChatModelListener listener) {
        server.inject(Fault.httpStatus(500));
        return FailoverChatLanguageModel.builder().targets(target()).maxRetries(0).listeners(List.of(listener)).build();
    }

    @Override
    protected Class<? extends Exception> expectedExceptionClass() {
        return FailoverException.class;
    }

    @Override
    protected String modelName() {
        return ChaosOpenAiServer.DEFAULT_MODEL_NAME;
    }

    private FailoverTarget target() {
        return FailoverTarget.openAiCompatible("primary").baseUrl(server.baseUrl()).apiKey("sk-contract-test-0000")
                .modelName(ChaosOpenAiServer.DEFAULT_MODEL_NAME).contextWindowTokens(16_000)
                .customizeChatModel(chat -> chat.temperature(0.7).topP(1.0).maxTokens(7))
                .build();
    }
}
