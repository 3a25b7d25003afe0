package dev.failover4j.spring;

import java.util.ArrayList;
import java.util.List;

/** Masks a target's key and header values in a message the library wrote (it masks them too: belt and braces). */
final class Secrets {

    private static final String MASK = "****";

    private Secrets() {}

    static String masked(String message, FailoverTargetProperties target) {
        if (message == null) {
            return "invalid";
        }
        List<String> secrets = new ArrayList<>(target.customHeaders().values());
        if (target.apiKey() != null) {
            secrets.add(target.apiKey());
            secrets.add(target.apiKey().trim());
        }
        String result = message;
        for (String secret : secrets) {
            if (secret != null && !secret.isBlank()) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }
}
