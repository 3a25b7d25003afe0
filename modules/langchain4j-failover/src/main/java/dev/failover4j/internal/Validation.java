package dev.failover4j.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Build-time checks with messages that name the bad value (never a real API key). */
public final class Validation {

    private static final Set<String> PLACEHOLDER_KEYS = Set.of(
            "changeme", "change_me", "change-me", "replaceme", "replace_me", "replace-me", "todo", "tbd",
            "apikey", "api_key", "api-key", "key", "token", "secret", "sk-", "sk-...", "...", "null", "undefined");
    private static final Pattern PLACEHOLDER_PATTERN = Pattern.compile(
            "^(<.*>|\\$\\{.*}|\\$[A-Za-z_][A-Za-z0-9_]*|\\{\\{.*}}|(sk-)?[xX*.]{3,}|.*your.*key.*|.*insert.*key.*)$",
            Pattern.CASE_INSENSITIVE);

    private Validation() {}

    public static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("target name must not be blank but was " + quote(name));
        }
        return name;
    }

    /** @throws IllegalArgumentException naming the index of the first null element */
    public static <T> java.util.List<T> requireNoNullElements(java.util.List<T> list, String what) {
        java.util.Objects.requireNonNull(list, what);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new IllegalArgumentException(what + "[" + i + "] is null");
            }
        }
        return list;
    }

    public static int requirePositive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive but was " + value);
        }
        return value;
    }

    public static int requireNonNegative(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative but was " + value);
        }
        return value;
    }

    /** Longer durations overflow nanosecond arithmetic (Failsafe's timeouts) and mean "never" anyway. */
    public static final Duration MAX_DURATION = Duration.ofDays(36_500);

    public static Duration requirePositive(Duration value, String what) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(what + " must be a positive duration but was " + value);
        }
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(what + " must be at most 100 years (" + MAX_DURATION + ") but was " + value);
        }
        return value;
    }

    /**
     * @param apiKey the key; may be null (local servers such as Ollama or vLLM need none)
     * @throws IllegalArgumentException when it is blank or a placeholder; the key is not echoed
     *         unless it matched a placeholder pattern (and so is no secret)
     */
    public static String requireUsableApiKey(String apiKey, String target) {
        if (apiKey == null) {
            return null;
        }
        if (apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey of target '" + target + "' is blank; set a real key "
                    + "(e.g. from an environment variable) or leave it unset for servers that need none");
        }
        String trimmed = apiKey.trim();
        if (PLACEHOLDER_KEYS.contains(trimmed.toLowerCase(Locale.ROOT)) || PLACEHOLDER_PATTERN.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("apiKey of target '" + target + "' is a placeholder ('" + trimmed
                    + "'); set a real key, e.g. from an environment variable");
        }
        if (!trimmed.equals(apiKey)) {
            throw new IllegalArgumentException(
                    "apiKey of target '" + target + "' has leading or trailing white space (length " + apiKey.length() + ")");
        }
        return apiKey;
    }

    /** @throws IllegalArgumentException unless {@code url} is an absolute http(s) URL with a host */
    public static String requireHttpUrl(String url, String target) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("baseUrl of target '" + target + "' must not be blank");
        }
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return url.trim();
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("baseUrl of target '" + target + "' must be an http(s) URL with a host but was '"
                + withoutQuery(url) + "'");
    }

    /** @return the URL without query string or user info, which may hold credentials */
    public static String withoutQuery(String url) {
        if (url == null) {
            return null;
        }
        String result = url;
        int query = result.indexOf('?');
        if (query >= 0) {
            result = result.substring(0, query) + "?…";
        }
        int at = result.indexOf('@');
        int schemeEnd = result.indexOf("://");
        if (at > 0 && schemeEnd >= 0 && at > schemeEnd) {
            result = result.substring(0, schemeEnd + 3) + "…@" + result.substring(at + 1);
        }
        return result;
    }

    private static String quote(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
