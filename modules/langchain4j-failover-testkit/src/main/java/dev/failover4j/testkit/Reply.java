package dev.failover4j.testkit;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ChaosOpenAiServer} answers to a healthy chat request: assistant text, or one or more
 * tool calls (answered only when the request offers tools; otherwise the server's default text is
 * sent instead). Immutable and thread-safe.
 */
public final class Reply {

    private final String text;
    private final List<ToolCall> toolCalls;

    private Reply(String text, List<ToolCall> toolCalls) {
        this.text = text;
        this.toolCalls = toolCalls;
    }

    /** Assistant text, {@code finish_reason: "stop"} (or {@code "length"} when cut at {@code max_tokens}). */
    public static Reply text(String text) {
        return new Reply(Objects.requireNonNull(text, "text"), List.of());
    }

    /** One tool call, {@code finish_reason: "tool_calls"}. {@code argumentsJson} is sent as is. */
    public static Reply toolCall(String toolName, String argumentsJson) {
        return toolCalls(List.of(new ToolCall(toolName, argumentsJson)));
    }

    /**
     * Parallel tool calls, {@code finish_reason: "tool_calls"}.
     *
     * @throws IllegalArgumentException if {@code calls} is empty
     */
    public static Reply toolCalls(List<ToolCall> calls) {
        if (calls.isEmpty()) {
            throw new IllegalArgumentException("calls must not be empty");
        }
        return new Reply(null, List.copyOf(calls));
    }

    /** Whether this reply is a tool call rather than text. */
    public boolean isToolCall() {
        return !toolCalls.isEmpty();
    }

    /** The text, or {@code null} for a tool-call reply. */
    public String text() {
        return text;
    }

    /** The tool calls, empty for a text reply. */
    public List<ToolCall> toolCalls() {
        return toolCalls;
    }

    @Override
    public String toString() {
        return isToolCall() ? "Reply" + toolCalls : "Reply[" + text + "]";
    }

    /**
     * One requested tool invocation.
     *
     * @param name          the function name
     * @param argumentsJson the arguments as a JSON string, sent unchanged
     */
    public record ToolCall(String name, String argumentsJson) {
        /** Validates that both parts are present. */
        public ToolCall {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(argumentsJson, "argumentsJson");
            if (name.isBlank()) {
                throw new IllegalArgumentException("tool name must not be blank");
            }
        }
    }
}
