package dev.failover4j.benchmarks;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

/** A trivial in-memory {@link ChatModel}: a fixed answer, or always a 5xx-like failure. No I/O. */
final class InMemoryChatModel implements ChatModel {

    private static final ChatResponse ANSWER = ChatResponse.builder()
            .aiMessage(AiMessage.from("ok"))
            .modelName("m")
            .tokenUsage(new TokenUsage(12, 1))
            .finishReason(FinishReason.STOP)
            .build();

    private final boolean failing;

    private InMemoryChatModel(boolean failing) {
        this.failing = failing;
    }

    static InMemoryChatModel answering() {
        return new InMemoryChatModel(false);
    }

    static InMemoryChatModel failing() {
        return new InMemoryChatModel(true);
    }

    @Override
    public ChatResponse doChat(ChatRequest chatRequest) {
        if (failing) {
            throw new InternalServerException("down");
        }
        return ANSWER;
    }
}
