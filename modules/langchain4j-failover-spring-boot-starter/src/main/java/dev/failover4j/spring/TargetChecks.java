package dev.failover4j.spring;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The target checks that must name a property path rather than a target: the core's own checks name the target
 * and, for a placeholder, quote it. Every message here names the path and what to do, never the value.
 */
final class TargetChecks {

    /** Keys people paste from documentation; the core rejects these too, but quoting them. */
    private static final Set<String> PLACEHOLDERS = Set.of(
            "changeme", "change_me", "change-me", "replaceme", "replace_me", "replace-me", "todo", "tbd", "apikey",
            "api_key", "api-key", "key", "token", "secret", "sk-", "sk-...", "...", "null", "undefined", "none", "xxx");
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "^(<.*>|\\$[A-Za-z_][A-Za-z0-9_]*|\\{\\{.*}}|(sk-)?[xX*.]{3,}|sk-x{3,}.*|.*your.*key.*|.*insert.*key.*|.*change.?me.*)$",
            Pattern.CASE_INSENSITIVE);

    private TargetChecks() {}

    /** @throws FailoverPropertyException for the first target that cannot work */
    static void check(List<FailoverTargetProperties> targets) {
        if (targets.isEmpty()) {
            throw new FailoverPropertyException(FailoverProperties.PREFIX + ".targets", "no target is configured; list at "
                    + "least one (name, base-url, api-key, model, context-window), or set "
                    + FailoverProperties.PREFIX + ".enabled=false");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            FailoverTargetProperties target = targets.get(i);
            String path = path(i);
            if (target.name() == null || target.name().isBlank()) {
                throw new FailoverPropertyException(path + ".name", "is required: a unique name for the target");
            }
            Integer first = seen.putIfAbsent(target.name(), i);
            if (first != null) {
                throw new FailoverPropertyException(path + ".name", "duplicates " + path(first) + ".name ('" + target.name()
                        + "'); target names must be unique");
            }
            checkApiKey(target, path);
            if (target.model() == null || target.model().isBlank()) {
                throw new FailoverPropertyException(path + ".model", "is required: the model name sent to this target");
            }
            if (target.contextWindow() == null) {
                throw new FailoverPropertyException(path + ".context-window", "is required: the model's context window in "
                        + "tokens (e.g. 128000), so that each conversation is fitted to it");
            }
            if (target.price() != null && (target.price().input() == null || target.price().output() == null)) {
                throw new FailoverPropertyException(path + ".price", "needs both input and output (per million tokens)");
            }
            target.customHeaders().forEach((header, value) -> {
                if (value == null || value.isBlank() || value.contains("${")) {
                    throw new FailoverPropertyException(path + ".custom-headers." + header,
                            "is blank or an unresolved placeholder; set the environment variable or property it refers to");
                }
            });
        }
    }

    static String path(int index) {
        return FailoverProperties.PREFIX + ".targets[" + index + "]";
    }

    private static void checkApiKey(FailoverTargetProperties target, String path) {
        String key = target.apiKey();
        String property = path + ".api-key";
        if (target.noApiKey()) {
            if (key != null && !key.isEmpty()) {
                throw new FailoverPropertyException(property, "is set together with " + path + ".no-api-key=true; "
                        + "remove one of them");
            }
            return;
        }
        if (key == null) {
            throw new FailoverPropertyException(property, "is not set; give the key (e.g. from an environment variable "
                    + "with a ${...} placeholder), or set " + path + ".no-api-key=true for a server that needs none");
        }
        if (key.isBlank()) {
            throw new FailoverPropertyException(property, "is blank (is the environment variable it refers to empty?); "
                    + "set a real key, or " + path + ".no-api-key=true for a server that needs none");
        }
        if (key.contains("${")) {
            throw new FailoverPropertyException(property, "is an unresolved ${...} placeholder: the environment variable "
                    + "or property it refers to is not set");
        }
        String trimmed = key.trim();
        if (PLACEHOLDERS.contains(trimmed.toLowerCase(Locale.ROOT)) || PLACEHOLDER.matcher(trimmed).matches()) {
            throw new FailoverPropertyException(property, "is a placeholder from an example, not an API key; set the "
                    + "real key, best through an environment variable");
        }
    }
}
