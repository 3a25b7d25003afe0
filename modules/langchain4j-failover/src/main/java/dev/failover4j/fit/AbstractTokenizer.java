package dev.failover4j.fit;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;

import java.util.List;
import java.util.Objects;

/**
 * The OpenAI chat rule on top of a text counter; subclasses only say how text is counted. Internal.
 */
abstract class AbstractTokenizer implements Tokenizer {

    private final TextMeasure measure = text -> countText(text);

    @Override
    public int countMessage(ChatMessage message) {
        Objects.requireNonNull(message, "message must not be null");
        return saturate(MessageTokenCounter.count(message, measure));
    }

    @Override
    public int countTools(List<ToolSpecification> tools) {
        if (tools == null || tools.isEmpty()) {
            return 0;
        }
        long tokens = TokenCosts.TOOLS_OVERHEAD;
        for (int i = 0; i < tools.size(); i++) {
            ToolSpecification tool = tools.get(i);
            if (tool == null) {
                throw new NullPointerException("tools[" + i + "] is null");
            }
            tokens += ToolTokenCounter.count(tool, measure);
        }
        return saturate(tokens);
    }

    @Override
    public int replyPrimingTokens() {
        return TokenCosts.REPLY_PRIMING_TOKENS;
    }

    static int saturate(long tokens) {
        return (int) Math.min(tokens, Integer.MAX_VALUE);
    }
}
