package dev.failover4j.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingResult;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * One server's token counting: a text counter (a jtokkit encoding or the user's function) under OpenAI's
 * chat rule (cookbook: 3 per message, +1 per name, +3 reply priming). The rule stays ours whatever the
 * counter, so a custom counter only has to count plain text.
 *
 * <p>Encodings come from one lazy registry per JVM: each is loaded on first use (o200k about a second,
 * cl100k about half of one) and then shared by every server, since jtokkit encodings are immutable and
 * thread-safe. Immutable itself, apart from the once-resolved encoding.
 */
public final class Tokens {

    private static final int PER_MESSAGE = 3;
    private static final int PER_NAME = 1;
    private static final int REPLY_PRIMING = 3;

    /** Loaded with the first {@code Tokens} that uses an encoding; the lazy registry loads each encoding once. */
    private static final class Registry {
        static final EncodingRegistry LAZY = Encodings.newLazyEncodingRegistry();
    }

    private final EncodingType type;
    private final ToIntFunction<String> custom;
    private volatile Encoding encoding;

    private Tokens(EncodingType type, ToIntFunction<String> custom) {
        this.type = type;
        this.custom = custom;
    }

    /** Counting with a jtokkit encoding, loaded on first use. */
    public static Tokens encoding(EncodingType type) {
        return new Tokens(Objects.requireNonNull(type, "type"), null);
    }

    /** Counting plain text with {@code counter} (called concurrently, never with null or empty text). */
    public static Tokens counter(ToIntFunction<String> counter) {
        return new Tokens(null, Objects.requireNonNull(counter, "counter"));
    }

    /** The encoding's name, e.g. {@code cl100k_base}, or {@code custom}. */
    public String name() {
        return type != null ? type.getName() : "custom";
    }

    /**
     * Loads the encoding now (up to about a second, once per JVM and encoding), so the first request is
     * not delayed by it and a client with a short timeout does not mistake the load for a fault. A custom
     * counter has nothing to load.
     */
    public void preload() {
        if (type != null) {
            encoding();
        }
    }

    private Encoding encoding() {
        Encoding e = encoding;
        if (e == null) {
            // A race only looks the shared encoding up twice: the registry loads it once.
            e = Registry.LAZY.getEncoding(type);
            encoding = e;
        }
        return e;
    }

    /**
     * Tokens of plain text; special-token lookalikes are counted as ordinary text.
     *
     * @throws IllegalStateException if a custom counter returns a negative count
     */
    public int count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        if (type != null) {
            return encoding().countTokensOrdinary(text);
        }
        int n = custom.applyAsInt(text);
        if (n < 0) {
            throw new IllegalStateException("token counter must return >= 0 but returned " + n + " for a text of "
                    + text.length() + " chars");
        }
        return n;
    }

    /** Prompt tokens of an OpenAI chat request body; 0 when it has no messages. */
    public int countPrompt(JsonNode body) {
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
    public String truncate(String text, int maxTokens) {
        if (type != null) {
            Encoding e = encoding();
            EncodingResult r = e.encodeOrdinary(text, maxTokens);
            return r.isTruncated() ? e.decode(r.getTokens()) : text;
        }
        if (count(text) <= maxTokens) {
            return text;
        }
        // A custom counter cannot decode: the longest prefix (cut between code points) that fits,
        // found by bisection, assuming a longer prefix never has fewer tokens.
        int fits = 0;
        int tooLong = text.codePointCount(0, text.length());
        while (tooLong - fits > 1) {
            int mid = (fits + tooLong) >>> 1;
            if (count(text.substring(0, text.offsetByCodePoints(0, mid))) <= maxTokens) {
                fits = mid;
            } else {
                tooLong = mid;
            }
        }
        return text.substring(0, text.offsetByCodePoints(0, fits));
    }
}
