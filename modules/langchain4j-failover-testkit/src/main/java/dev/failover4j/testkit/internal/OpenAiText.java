package dev.failover4j.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads text out of OpenAI message JSON, where {@code content} is a string or an array of parts. Public only
 * so that {@code RecordedChatRequest} can read messages the same way the server does.
 */
public final class OpenAiText {

    private OpenAiText() {
    }

    /** The text of a {@code content} node: the string, or the text parts joined by newlines; else empty. */
    public static String contentText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("text").isTextual()) {
                    if (sb.length() > 0) {
                        sb.append('\n');
                    }
                    sb.append(part.path("text").asText());
                }
            }
            return sb.toString();
        }
        return "";
    }

    static String lastUserText(JsonNode messages) {
        String last = "";
        for (JsonNode m : messages) {
            if ("user".equals(m.path("role").asText())) {
                last = contentText(m.path("content"));
            }
        }
        return last;
    }
}
