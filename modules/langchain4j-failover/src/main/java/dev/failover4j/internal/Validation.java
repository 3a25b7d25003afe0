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
     * @param apiKey the key; null only when {@code noApiKey} (local servers such as Ollama or vLLM need none)
     * @param noApiKey whether the target declared that it needs no key
     * @return the key, or null when the target needs none
     * @throws IllegalArgumentException when it is missing, blank, a placeholder, or holds characters no HTTP
     *         header can carry; the key is not echoed unless it matched a placeholder pattern (and so is no secret)
     */
    public static String requireUsableApiKey(String apiKey, boolean noApiKey, String target) {
        if (noApiKey) {
            if (apiKey != null) {
                throw new IllegalArgumentException("target '" + target + "' sets both apiKey(...) and noApiKey(); "
                        + "call apiKey(...) for a server that needs a key, or noApiKey() for one that needs none");
            }
            return null;
        }
        if (apiKey == null) {
            throw new IllegalArgumentException("apiKey of target '" + target + "' is null; call apiKey(...) with the key "
                    + "(e.g. from an environment variable that is set), or noApiKey() for a server that needs none "
                    + "(local Ollama, vLLM)");
        }
        if (apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey of target '" + target + "' is blank; set a real key "
                    + "(e.g. from an environment variable), or call noApiKey() for a server that needs none");
        }
        // Control characters first: they must never reach the placeholder message below, which echoes the text.
        int control = indexOf(apiKey, Validation::isControl);
        if (control >= 0) {
            throw badKeyCharacter(target, "a control character", control);
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
        int space = indexOf(apiKey, c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
        if (space >= 0) {
            throw badKeyCharacter(target, "white space", space);
        }
        int nonAscii = indexOf(apiKey, c -> c > 0x7e);
        if (nonAscii >= 0) {
            throw badKeyCharacter(target, "a non-ASCII character", nonAscii);
        }
        return apiKey;
    }

    private static IllegalArgumentException badKeyCharacter(String target, String what, int index) {
        // Index and class only: the character itself may be part of a real key.
        return new IllegalArgumentException("apiKey of target '" + target + "' contains " + what + " at index " + index
                + "; an API key is sent in an HTTP header and must be printable ASCII without white space");
    }

    /**
     * Headers the JDK HTTP client refuses to set (it throws on every request), less those the JVM allows through
     * the {@code jdk.httpclient.allowRestrictedHeaders} system property (a comma-separated list of names).
     */
    private static final Set<String> JDK_RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /**
     * Checks a custom header at build time so that it cannot fail every request later (the JDK client throws on
     * restricted names, non-token names and values with CR, LF or other control characters, and echoes the value).
     *
     * @throws IllegalArgumentException naming the header and the setting, never its value
     */
    public static void requireSendableHeader(String name, String value, String target) {
        String what = "customHeader '" + printable(name) + "' of target '" + target + "'";
        if (name.isEmpty()) {
            throw new IllegalArgumentException("customHeader name of target '" + target + "' must not be empty");
        }
        int bad = indexOf(name, c -> !isTokenChar(c));
        if (bad >= 0) {
            throw new IllegalArgumentException(what + " is not a valid header name: character at index " + bad
                    + " is not allowed (RFC 9110 token: letters, digits and !#$%&'*+-.^_`|~)");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (JDK_RESTRICTED_HEADERS.contains(lower) && !allowedRestrictedHeaders().contains(lower)) {
            throw new IllegalArgumentException(what + " is a header the JDK HTTP client sets itself and refuses to send "
                    + "(restricted: " + String.join(", ", new java.util.TreeSet<>(JDK_RESTRICTED_HEADERS))
                    + "; see the system property jdk.httpclient.allowRestrictedHeaders)");
        }
        int control = indexOf(value, c -> c != '\t' && isControl(c));
        if (control >= 0) {
            throw new IllegalArgumentException(what + " has a control character at index " + control
                    + " of its value (CR, LF and other control characters cannot be sent in a header)");
        }
        int wide = indexOf(value, c -> c > 0xff);
        if (wide >= 0) {
            throw new IllegalArgumentException(what + " has a character beyond ISO-8859-1 at index " + wide
                    + " of its value (HTTP/1.1 header values are bytes)");
        }
    }

    /** Read at each build: the JDK reads it once, when its HTTP client is first used, so set it before that. */
    private static Set<String> allowedRestrictedHeaders() {
        String property = System.getProperty("jdk.httpclient.allowRestrictedHeaders", "");
        Set<String> allowed = new java.util.HashSet<>();
        for (String header : property.split(",")) {
            allowed.add(header.trim().toLowerCase(Locale.ROOT));
        }
        return allowed;
    }

    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean isControl(int c) {
        return c < 0x20 || c == 0x7f;
    }

    private static int indexOf(String text, java.util.function.IntPredicate bad) {
        for (int i = 0; i < text.length(); i++) {
            if (bad.test(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** A header name for a message: names are no secret, but control characters are replaced. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(isControl(c) ? '?' : c);
        }
        return out.toString();
    }

    /**
     * LangChain4j models that retry by themselves (with their own backoff) and keep the setting in a
     * {@code maxRetries} field: checked against LangChain4j 1.19's bytecode, which has no getter for it
     * ({@code OpenAiChatModel}: {@code maxRetries} defaults to 2; {@code OpenAiStreamingChatModel} never retries).
     */
    private static final Set<String> SELF_RETRYING_MODELS = Set.of("dev.langchain4j.model.openai.OpenAiChatModel");

    /**
     * @return how many times {@code model} retries a failed call by itself, when it is a LangChain4j HTTP model
     *         known to and its setting can be read; empty otherwise, and on any failure to read it (the answer
     *         only decides whether to warn)
     */
    public static java.util.OptionalInt selfRetries(Object model) {
        for (Class<?> type = model == null ? null : model.getClass(); type != null; type = type.getSuperclass()) {
            if (SELF_RETRYING_MODELS.contains(type.getName())) {
                try {
                    java.lang.reflect.Field field = type.getDeclaredField("maxRetries");
                    field.setAccessible(true);
                    return field.get(model) instanceof Integer retries ? java.util.OptionalInt.of(retries)
                            : java.util.OptionalInt.empty();
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return java.util.OptionalInt.empty();
                }
            }
        }
        return java.util.OptionalInt.empty();
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
                if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65_535)) {
                    throw new IllegalArgumentException("baseUrl of target '" + target + "' has port " + uri.getPort()
                            + " but a port must be in 1..65535: '" + withoutQuery(url) + "'");
                }
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
