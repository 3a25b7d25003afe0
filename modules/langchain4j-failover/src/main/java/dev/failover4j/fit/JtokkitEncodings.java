package dev.failover4j.fit;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one jtokkit registry of the JVM: created on first use (lazy holder), each encoding loaded once
 * on first request and immutable afterwards. Internal.
 */
final class JtokkitEncodings {

    private JtokkitEncodings() {
    }

    static Encoding get(EncodingType type) {
        return Holder.LOADED.computeIfAbsent(type, Holder.REGISTRY::getEncoding);
    }

    private static final class Holder {
        static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
        static final Map<EncodingType, Encoding> LOADED = new ConcurrentHashMap<>();
    }
}
