package dev.failover4j.samples.aiservice;

import dev.failover4j.FailoverStreamingChatLanguageModel;
import dev.failover4j.FailoverException;
import dev.failover4j.FailoverTarget;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.common.AbstractStreamingChatModelListenerIT;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * LangChain4j's own {@code ChatModelListener} contract (from the {@code langchain4j-core} test-jar) wired to the
 * failover model over a chaos server. Not run by itself (no {@code Test} suffix): {@link ListenerContractTest}
 * runs its {@code should_listen_error} unchanged and explains why {@code should_listen_request_and_response}
 * is mirrored instead.
 */
class FailoverStreamingChatModelListenerContract extends AbstractStreamingChatModelListenerIT {

    private final ChaosOpenAiServer server = ChaosOpenAiServer.builder().name("primary").build().start();

    /**
     * {@code should_listen_error} waits at most 5 s for {@code onError}. The first failover call in a JVM
     * loads the o200k tokenizer (for fitting) and the HTTP client: 1 to 2 s on an idle 2-core machine,
     * more than 5 s on a loaded one. One call beforehand keeps that cost out of the contract's timing.
     */
    @BeforeAll
    static void warmUp() throws Exception {
        try (ChaosOpenAiServer warmUp = ChaosOpenAiServer.builder().name("warm-up").build().start()) {
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            FailoverStreamingChatLanguageModel.builder().targets(FailoverTarget.openAiCompatible("warm-up")
                            .baseUrl(warmUp.baseUrl()).apiKey("sk-contract-test-0000")
                            .modelName(ChaosOpenAiServer.DEFAULT_MODEL_NAME).contextWindowTokens(16_000).build())
                    .build()
                    .chat("hello", new StreamingChatResponseHandler() {
                        @Override
                        public void onPartialResponse(String partialResponse) {}

                        @Override
                        public void onCompleteResponse(ChatResponse response) {
                            done.complete(response);
                        }

                        @Override
                        public void onError(Throwable error) {
                            done.completeExceptionally(error);
                        }
                    });
            done.get(60, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Override
    protected StreamingChatModel createModel(ChatModelListener listener) {
        return FailoverStreamingChatLanguageModel.builder().targets(target()).listeners(List.of(listener)).build();
    }

    @Override
    protected StreamingChatModel createFailingModel(ChatModelListener listener) {
        server.inject(Fault.httpStatus(500));
        return FailoverStreamingChatLanguageModel.builder().targets(target()).maxRetries(0).listeners(List.of(listener)).build();
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
                .customizeStreamingChatModel(chat -> chat.temperature(0.7).topP(1.0).maxTokens(7))
                .build();
    }
}
