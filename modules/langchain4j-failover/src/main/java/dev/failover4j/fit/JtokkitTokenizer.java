package dev.failover4j.fit;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.Objects;

/**
 * A tokenizer backed by a jtokkit encoding. Its counts obey the bounds of {@link TextBounds}, which
 * lets {@link ContextFitter} skip encoding when a cheap bound already fits. Internal.
 */
final class JtokkitTokenizer extends AbstractTokenizer {

    private final EncodingType encodingType;
    private final boolean exact;
    private volatile Encoding encoding; // resolved on first use; the registry loads it once per JVM

    JtokkitTokenizer(EncodingType encodingType, boolean exact) {
        this.encodingType = encodingType;
        this.exact = exact;
    }

    @Override
    public int countText(String text) {
        Objects.requireNonNull(text, "text must not be null");
        return encoding().countTokensOrdinary(TextBounds.withoutUnpairedSurrogates(text));
    }

    @Override
    public boolean exact() {
        return exact;
    }

    EncodingType encodingType() {
        return encodingType;
    }

    private Encoding encoding() {
        Encoding resolved = encoding;
        if (resolved == null) {
            resolved = JtokkitEncodings.get(encodingType);
            encoding = resolved;
        }
        return resolved;
    }

    /** Equal when they count alike (same encoding, same exactness): targets of one model can share a fit. */
    @Override
    public boolean equals(Object o) {
        return o instanceof JtokkitTokenizer that && encodingType == that.encodingType && exact == that.exact;
    }

    @Override
    public int hashCode() {
        return encodingType.hashCode() * 31 + Boolean.hashCode(exact);
    }

    @Override
    public String toString() {
        return "Tokenizer[" + encodingType.getName() + (exact ? ", exact" : ", approximate") + "]";
    }
}
