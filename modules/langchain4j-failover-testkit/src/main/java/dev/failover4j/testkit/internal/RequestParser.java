package dev.failover4j.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.failover4j.testkit.RecordedChatRequest;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** Turns MockWebServer's request into our immutable record; masks secrets before anything is stored. */
public final class RequestParser {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "api-key", "x-api-key",
            "proxy-authorization");

    private RequestParser() {
    }

    public static RecordedChatRequest parse(RecordedRequest r, long sequence, Instant now, Tokens tokens) {
        String body = r.getBody() == null ? "" : r.getBody().string(StandardCharsets.UTF_8);
        JsonNode tree = parseJson(body);
        JsonNode messages = tree.path("messages");
        List<String> tools = new ArrayList<>();
        for (JsonNode tool : tree.path("tools")) {
            String name = tool.path("function").path("name").asText(tool.path("name").asText(""));
            if (!name.isEmpty()) {
                tools.add(name);
            }
        }
        OptionalInt maxTokens = tree.path("max_completion_tokens").isIntegralNumber()
                ? OptionalInt.of(tree.path("max_completion_tokens").asInt())
                : tree.path("max_tokens").isIntegralNumber() ? OptionalInt.of(tree.path("max_tokens").asInt())
                : OptionalInt.empty();
        return new RecordedChatRequest(
                sequence,
                now,
                r.getMethod(),
                r.getTarget(),
                maskedHeaders(r.getHeaders()),
                body,
                tree.path("model").isTextual() ? tree.path("model").asText() : null,
                messages.isArray() ? messages.size() : 0,
                tokens.countPrompt(tree),
                tree.path("stream").asBoolean(false),
                tree.path("stream_options").path("include_usage").asBoolean(false),
                maxTokens,
                tools,
                messages.isArray() ? OpenAiText.lastUserText(messages) : "",
                tree);
    }

    static JsonNode parseJson(String body) {
        if (body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (Exception e) {
            return MissingNode.getInstance();
        }
    }

    static Map<String, List<String>> maskedHeaders(Headers headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : headers.names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            List<String> values = new ArrayList<>();
            for (String v : headers.values(name)) {
                values.add(SECRET_HEADERS.contains(lower) ? mask(v) : v);
            }
            out.put(lower, List.copyOf(values));
        }
        return out;
    }

    /** {@code Bearer ****abcd}: the scheme, then at most the last 4 characters of a key of 12 or more. */
    public static String mask(String value) {
        String v = value.trim();
        String scheme = "";
        int space = v.indexOf(' ');
        if (space > 0) {
            scheme = v.substring(0, space + 1);
            v = v.substring(space + 1).trim();
        }
        String tail = v.length() >= 12 ? v.substring(v.length() - 4) : "";
        return scheme + "****" + tail;
    }
}
