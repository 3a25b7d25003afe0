package dev.failover4j.fit;

import com.knuddels.jtokkit.api.EncodingType;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Maps OpenAI model names to their encodings. jtokkit's own {@code getEncodingForModel} is not used:
 * it answers cl100k for gpt-4.1 and knows no o1/o3/gpt-5. Internal.
 */
final class ModelEncodings {

    private static final Pattern O200K = Pattern.compile(
            "(?:chatgpt-4o|gpt-4o|gpt-4\\.1|gpt-4\\.5|gpt-5|o1|o3|o4)(?:$|[-.:_@].*)");
    private static final Pattern CL100K = Pattern.compile("(?:gpt-4|gpt-3\\.5)(?:$|[-:_@].*)");

    private ModelEncodings() {
    }

    /** The exact encoding of an OpenAI model, or {@code null} when the model is not known to use one. */
    static EncodingType exactEncodingFor(String modelName) {
        if (modelName == null) {
            return null;
        }
        String name = modelName.trim().toLowerCase(Locale.ROOT);
        int slash = name.lastIndexOf('/');
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        if (O200K.matcher(name).matches()) {
            return EncodingType.O200K_BASE;
        }
        if (CL100K.matcher(name).matches()) {
            return EncodingType.CL100K_BASE;
        }
        return null;
    }
}
