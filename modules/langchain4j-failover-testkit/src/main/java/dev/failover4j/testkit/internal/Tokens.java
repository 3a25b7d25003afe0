package dev.failover4j.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingResult;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Token counting with o200k and OpenAI's chat rule (cookbook: 3 per message, +1 per name, +3 reply
 * priming). The encoding is loaded once, lazily (about a second), and shared: jtokkit encodings are
 * immutable and thread-safe.
 */
public final class Tokens {

    private static final int PER_MESSAGE = 3;
    private static final int PER_NAME = 1;
    private static final int REPLY_PRIMING = 3;

    private Tokens() {
    }

    private static final class Holder {
        static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }

    /**
     * Loads the encoding now (about a second, once per JVM), so the first request is not delayed by it
     * and a client with a short timeout does not mistake the load for a fault.
     */
    public static void preload() {
        Holder.O200K.getName();
    }

    /** Tokens of plain text; special-token lookalikes are counted as ordinary text. */
    public static int count(String text) {
        return text == null || text.isEmpty() ? 0 : Holder.O200K.countTokensOrdinary(text);
    }

    /** Prompt tokens of an OpenAI chat request body; 0 when it has no messages. */
    public static int countPrompt(JsonNode body) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            return 0;
        }
        int total = REPLY_PRIMING;
        for (JsonNode message : messages) {
            total += PER_MESSAGE;
            total += count(message.path("role").asText(""));
            total += count(OpenAiText.contentText(message.path("content")));
            if (message.hasNonNull("name")) {
                total += PER_NAME + count(message.path("name").asText());
            }
            if (message.hasNonNull("tool_call_id")) {
                total += count(message.path("tool_call_id").asText());
            }
            for (JsonNode call : message.path("tool_calls")) {
                total += count(call.path("function").path("name").asText(""));
                total += count(call.path("function").path("arguments").asText(""));
            }
        }
        JsonNode tools = body.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            total += count(tools.toString());
        }
        return total;
    }

    /** {@code text} cut to at most {@code maxTokens} tokens. */
    public static String truncate(String text, int maxTokens) {
        EncodingResult r = Holder.O200K.encodeOrdinary(text, maxTokens);
        return r.isTruncated() ? Holder.O200K.decode(r.getTokens()) : text;
    }
}
