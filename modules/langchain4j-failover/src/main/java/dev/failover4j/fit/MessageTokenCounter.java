package dev.failover4j.fit;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;

import java.util.List;

/**
 * Walks every field of a message that is sent to the provider and adds up its tokens with a given
 * {@link TextMeasure}, plus the fixed costs from {@link TokenCosts}. Internal.
 *
 * <p>The same walk serves the exact count (measure = the encoding) and the fast-path upper bound
 * (measure = a byte bound): since the fixed costs are identical, the bound is never below the count.
 *
 * <p>Not counted: {@code AiMessage.thinking()} (the OpenAI integration does not send it back by
 * default) and message attributes (never sent), except for {@link CustomMessage} whose attributes are
 * all it has (their {@code toString()} is counted).
 */
final class MessageTokenCounter {

    private MessageTokenCounter() {
    }

    static long count(ChatMessage message, TextMeasure text) {
        long tokens = TokenCosts.TOKENS_PER_MESSAGE + TokenCosts.TOKENS_PER_ROLE;
        if (message instanceof SystemMessage system) {
            tokens += measure(system.text(), text);
        } else if (message instanceof UserMessage user) {
            tokens += name(user.name(), text) + contents(user.contents(), text);
        } else if (message instanceof AiMessage ai) {
            tokens += measure(ai.text(), text) + toolCalls(ai.toolExecutionRequests(), text);
        } else if (message instanceof ToolExecutionResultMessage result) {
            tokens += measure(result.id(), text) + measure(result.toolName(), text)
                    + contents(result.contents(), text);
        } else if (message instanceof CustomMessage custom) {
            tokens += measure(String.valueOf(custom.attributes()), text);
        } else {
            tokens += measure(String.valueOf(message), text);
        }
        return tokens;
    }

    private static long name(String name, TextMeasure text) {
        return name == null ? 0 : TokenCosts.TOKENS_PER_NAME + text.measure(name);
    }

    private static long contents(List<Content> contents, TextMeasure text) {
        if (contents == null) {
            return 0;
        }
        long tokens = 0;
        for (Content content : contents) {
            tokens += content(content, text);
        }
        return tokens;
    }

    private static long content(Content content, TextMeasure text) {
        if (content instanceof TextContent textContent) {
            return measure(textContent.text(), text);
        }
        if (content instanceof ImageContent image) {
            return imageTokens(image.detailLevel());
        }
        return TokenCosts.DEFAULT_OTHER_CONTENT_TOKENS;
    }

    static int imageTokens(ImageContent.DetailLevel detail) {
        if (detail == ImageContent.DetailLevel.LOW) {
            return TokenCosts.LOW_DETAIL_IMAGE_TOKENS;
        }
        if (detail == ImageContent.DetailLevel.ULTRA_HIGH) {
            return TokenCosts.ULTRA_HIGH_DETAIL_IMAGE_TOKENS;
        }
        return TokenCosts.DEFAULT_IMAGE_TOKENS;
    }

    private static long toolCalls(List<ToolExecutionRequest> requests, TextMeasure text) {
        if (requests == null || requests.isEmpty()) {
            return 0;
        }
        long tokens = TokenCosts.TOOL_CALLS_OVERHEAD;
        for (ToolExecutionRequest request : requests) {
            tokens += TokenCosts.TOOL_CALL_OVERHEAD
                    + measure(request.id(), text)
                    + measure(request.name(), text)
                    + measure(request.arguments(), text);
        }
        return tokens;
    }

    private static long measure(String value, TextMeasure text) {
        return value == null || value.isEmpty() ? 0 : text.measure(value);
    }
}
