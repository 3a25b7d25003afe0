package dev.failover4j.fit;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A tokenizer that delegates and counts how often messages and tools were counted. */
final class CountingTokenizer implements Tokenizer {

    private final Tokenizer delegate;
    final AtomicInteger messageCounts = new AtomicInteger();
    final AtomicInteger toolCounts = new AtomicInteger();

    CountingTokenizer(Tokenizer delegate) {
        this.delegate = delegate;
    }

    @Override
    public int countText(String text) {
        return delegate.countText(text);
    }

    @Override
    public int countMessage(ChatMessage message) {
        messageCounts.incrementAndGet();
        return delegate.countMessage(message);
    }

    @Override
    public int countTools(List<ToolSpecification> tools) {
        toolCounts.incrementAndGet();
        return delegate.countTools(tools);
    }

    @Override
    public int replyPrimingTokens() {
        return delegate.replyPrimingTokens();
    }

    @Override
    public boolean exact() {
        return delegate.exact();
    }
}
