package dev.failover4j.fit;

import dev.langchain4j.agent.tool.ToolSpecification;

/**
 * Counts what one tool specification adds to a request. Internal.
 *
 * <p>OpenAI renders functions into the prompt in an internal, TypeScript-like form that is not
 * published. This counts the specification's JSON instead ({@link ToolSpecification#toJson()}: name,
 * description, JSON schema of the parameters, plus metadata and strictness when set), which carries
 * more punctuation than that form, plus {@link TokenCosts#TOOL_SPECIFICATION_OVERHEAD}: an
 * approximation chosen to err high.
 */
final class ToolTokenCounter {

    private ToolTokenCounter() {
    }

    static long count(ToolSpecification tool, TextMeasure text) {
        return TokenCosts.TOOL_SPECIFICATION_OVERHEAD + text.measure(tool.toJson());
    }
}
