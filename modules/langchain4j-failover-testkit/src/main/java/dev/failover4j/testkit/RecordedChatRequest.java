package dev.failover4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

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
 * @param promptTokens  prompt tokens by OpenAI's chat rule with o200k (3 per message + the tokens of
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
