package dev.failover4j.spring;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code langchain4j.failover.redis.uri} as it may be shown: its user-info (the password) masked, and any text that
 * might quote the URI with its password masked too. Needs no Redis class, so it serves when the module is absent.
 */
final class RedisUris {

    private static final String MASK = "****";

    private RedisUris() {}

    /** @return whether {@code uri} turns fleet mode on: set and not blank */
    static boolean isSet(String uri) {
        return uri != null && !uri.isBlank();
    }

    /** @return {@code uri} with everything between {@code ://} and its last {@code @} masked */
    static String masked(String uri) {
        if (uri == null) {
            return "none";
        }
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme + 3) {
            return uri;
        }
        return uri.substring(0, scheme + 3) + MASK + uri.substring(at);
    }

    /** @return {@code message} with {@code uri}'s user-info, and its password alone, masked wherever they appear */
    static String masked(String message, String uri) {
        if (message == null) {
            return "invalid";
        }
        String result = message;
        for (String secret : secrets(uri)) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    /** The user-info of {@code uri} and its password, as written and percent-decoded: longest first. */
    private static List<String> secrets(String uri) {
        List<String> secrets = new ArrayList<>();
        if (uri == null) {
            return secrets;
        }
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme + 3) {
            return secrets;
        }
        String userInfo = uri.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String password = colon < 0 ? userInfo : userInfo.substring(colon + 1);
        for (String secret : List.of(userInfo, password)) {
            add(secrets, secret);
            try {
                add(secrets, URLDecoder.decode(secret, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notEncoded) {
                // shown as written only
            }
        }
        secrets.sort((a, b) -> b.length() - a.length());
        return secrets;
    }

    private static void add(List<String> secrets, String secret) {
        if (!secret.isBlank() && !secrets.contains(secret)) {
            secrets.add(secret);
        }
    }
}
