package dev.failover4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.failover4j.testkit.internal.OpenAiText;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One request an endpoint received, as parsed for assertions. Header values of {@code Authorization},
 * {@code api-key} and {@code x-api-key} are masked ({@code Bearer ****abcd}: at most the last 4
 * characters of a key of 12 or more, nothing of a shorter one); the raw key is never stored.
 * Immutable and thread-safe ({@link #bodyJson()} returns a fresh copy).
 *
 * @param sequence      1-based order of arrival at this endpoint
 * @param receivedAt    when it arrived, by the endpoint's clock
 * @param method        HTTP method
 * @param path          request target, e.g. {@code /v1/chat/completions}
 * @param headers       header names in lower case to their values, secrets masked
 * @param body          the body as UTF-8 text (empty when there was none)
 * @param model         {@code model} from the body, or {@code null}
 * @param messageCount  number of entries in {@code messages}
 * @param promptTokens  prompt tokens by OpenAI's chat rule with the endpoint's token counting (o200k
 *                      unless its builder's {@code tokenCounting} chose otherwise; 3 per message + the tokens of
 *                      its role, content, name (+1), tool-call names/arguments and tool_call_id, + 3
 *                      reply priming, + the tokens of the compact {@code tools} JSON when tools are
 *                      offered); 0 for a request without messages
 * @param stream        whether {@code "stream": true}
 * @param includeUsage  whether {@code stream_options.include_usage} was set
 * @param maxTokens     {@code max_completion_tokens}, else {@code max_tokens}, if present
 * @param toolNames     names of the offered tools, in order
 * @param lastUserText  text of the last {@code user} message, or empty
 */
public record RecordedChatRequest(
        long sequence,
        Instant receivedAt,
        String method,
        String path,
        Map<String, List<String>> headers,
        String body,
        String model,
        int messageCount,
        int promptTokens,
        boolean stream,
        boolean includeUsage,
        OptionalInt maxTokens,
        List<String> toolNames,
        String lastUserText,
        JsonNode bodyTree) {

    /**
     * The text of the user message that follows the partial answer when the failover streaming model asks
     * the next target to continue a broken stream: the same text as
     * {@code dev.failover4j.FailoverStreamingChatLanguageModel.CONTINUE_INSTRUCTION}. Kept here because the
     * testkit does not depend on the core module; a core test asserts the two are equal.
     *
     * @see #isContinuation()
     */
    public static final String CONTINUE_INSTRUCTION = "Your previous reply was cut off after the text above. "
            + "Continue it exactly where it stopped, without repeating any of it and without any preamble.";

    /**
     * A {@code tool} message: the result of one tool call, as sent back to the model.
     *
     * @param toolCallId the {@code tool_call_id} it answers, or empty when the message has none
     * @param toolName   the name of the tool, from the nearest preceding assistant {@code tool_calls} entry
     *                   with that id (OpenAI's tool messages do not carry it), or empty when there is none
     * @param content    the result's text (text parts joined by newlines), or empty
     */
    public record ToolResult(String toolCallId, String toolName, String content) {
    }

    /** Copies the collections so the record stays immutable. */
    public RecordedChatRequest {
        headers = Map.copyOf(headers);
        toolNames = List.copyOf(toolNames);
        bodyTree = bodyTree == null ? MissingNode.getInstance() : bodyTree.deepCopy();
    }

    /** The body as a Jackson tree (a copy; {@code MissingNode} when the body was not JSON). */
    public JsonNode bodyJson() {
        return bodyTree.deepCopy();
    }

    /** A copy of the tree; prefer {@link #bodyJson()}. */
    @Override
    public JsonNode bodyTree() {
        return bodyTree.deepCopy();
    }

    /** The first value of header {@code name} (case-insensitive), masked if it carries a secret. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Whether this was a {@code POST .../chat/completions}. */
    public boolean isChatCompletion() {
        return "POST".equals(method) && pathWithoutQuery().endsWith("/chat/completions");
    }

    /** Whether the request offered at least one tool. */
    public boolean offersTools() {
        return !toolNames.isEmpty();
    }

    /**
     * The {@code role} of the last entry in {@code messages}: {@code "system"}, {@code "user"},
     * {@code "assistant"}, {@code "tool"} (or whatever the client sent). Empty, never {@code null}, when
     * the request has no messages or the last one has no role.
     */
    public String lastMessageRole() {
        return lastMessage().path("role").asText("");
    }

    /**
     * Whether this request asks to continue a broken stream: its last message is a {@code user} message
     * whose text is exactly {@link #CONTINUE_INSTRUCTION}. Use it in a {@code reply} function to answer
     * only the rest of the text, with {@link #partialAnswer()} telling how much was already delivered.
     */
    public boolean isContinuation() {
        JsonNode last = lastMessage();
        return "user".equals(last.path("role").asText())
                && CONTINUE_INSTRUCTION.equals(OpenAiText.contentText(last.path("content")));
    }

    /**
     * The partial answer being continued: the text of the {@code assistant} message just before the
     * continuation instruction, i.e. everything the caller has already received. Empty when this is not
     * a {@linkplain #isContinuation() continuation} or that message is not an assistant message with text.
     */
    public Optional<String> partialAnswer() {
        JsonNode messages = bodyTree.path("messages");
        if (!isContinuation() || messages.size() < 2) {
            return Optional.empty();
        }
        JsonNode previous = messages.get(messages.size() - 2);
        String text = OpenAiText.contentText(previous.path("content"));
        return "assistant".equals(previous.path("role").asText()) && !text.isEmpty()
                ? Optional.of(text) : Optional.empty();
    }

    /**
     * The tool result the model is asked to act on: the last message when its role is {@code tool}.
     * Empty when there are no messages or the last one is not a tool message (an earlier tool result
     * followed by a user message does not count).
     */
    public Optional<ToolResult> lastToolResult() {
        JsonNode messages = bodyTree.path("messages");
        JsonNode last = lastMessage();
        if (!"tool".equals(last.path("role").asText())) {
            return Optional.empty();
        }
        String id = last.path("tool_call_id").asText("");
        return Optional.of(new ToolResult(id, toolNameBefore(messages, messages.size() - 1, id),
                OpenAiText.contentText(last.path("content"))));
    }

    /** The name in the nearest {@code tool_calls} entry with {@code id} before message {@code index}, or empty. */
    private static String toolNameBefore(JsonNode messages, int index, String id) {
        if (id.isEmpty()) {
            return "";
        }
        for (int i = index - 1; i >= 0; i--) {
            for (JsonNode call : messages.get(i).path("tool_calls")) {
                if (id.equals(call.path("id").asText())) {
                    return call.path("function").path("name").asText("");
                }
            }
        }
        return "";
    }

    /** The last entry of {@code messages}, or a missing node. Reads the field: it is never mutated. */
    private JsonNode lastMessage() {
        JsonNode messages = bodyTree.path("messages");
        return messages.isArray() && !messages.isEmpty() ? messages.get(messages.size() - 1) : MissingNode.getInstance();
    }

    String pathWithoutQuery() {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    @Override
    public String toString() {
        return "RecordedChatRequest[#" + sequence + " " + method + " " + path + " model=" + model + " messages="
                + messageCount + " promptTokens=" + promptTokens + " stream=" + stream + "]";
    }
}
