package dev.failover4j.internal;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.LangChain4jException;
import java.lang.reflect.Constructor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Masks configured secrets (API keys, secret header values) in text and in exception chains, so a
 * provider that echoes a key in an error body cannot leak it into our messages, events or logs.
 *
 * <p>What is masked: each secret as is, JSON-escaped and URL-encoded, and any run of at least
 * {@value #RUN} consecutive characters of one of those (a provider that echoes a truncated key, or
 * text cut in the middle of a key, must not show most of it). Runs are found with a rolling hash
 * over the text, so a text is scanned once whatever the number of secrets. Text must be redacted
 * before it is shortened or reformatted: a cut or folded key no longer matches as a whole.
 *
 * <p>Exceptions are copied only when needed: a chain that holds no secret and no type of this
 * internal package is returned as is; otherwise each link is copied as the same public type (an
 * internal type as its nearest public supertype, e.g. the header-keeping HTTP exception as
 * LangChain4j's {@link HttpException}) with its message masked and its stack trace kept, so callers'
 * {@code catch (RateLimitException e)} and {@code instanceof} checks keep working.
 */
final class Redactor {

    static final String MASK = "****";
    /** The shortest run of a secret that is masked on its own. */
    static final int RUN = 8;
    private static final int MIN_SECRET_LENGTH = 4;
    private static final long BASE = 1_000_003L;
    private static final String INTERNAL_PACKAGE = Redactor.class.getPackageName();

    /** Secrets and their encoded forms shorter than {@link #RUN}: matched whole. */
    private final List<String> shortForms;
    /** Every {@link #RUN}-character window of every longer form, and their hashes, sorted. */
    private final Set<String> windows;
    private final long[] windowHashes;
    private final long basePowerRun;

    public Redactor(Collection<String> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
                forms.add(secret);
                forms.add(jsonEscaped(secret));
                forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
            }
        }
        this.shortForms = forms.stream().filter(f -> f.length() < RUN)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.windows = new HashSet<>();
        for (String form : forms) {
            for (int i = 0; i + RUN <= form.length(); i++) {
                windows.add(form.substring(i, i + RUN));
            }
        }
        this.windowHashes = windows.stream().mapToLong(w -> hash(w, 0)).sorted().distinct().toArray();
        long power = 1;
        for (int i = 0; i < RUN; i++) {
            power *= BASE;
        }
        this.basePowerRun = power;
    }

    public String redact(String text) {
        if (text == null || (windows.isEmpty() && shortForms.isEmpty()) || text.length() < MIN_SECRET_LENGTH) {
            return text;
        }
        boolean[] masked = markRuns(text, null);
        for (String form : shortForms) {
            for (int at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
                masked = masked != null ? masked : new boolean[text.length()];
                Arrays.fill(masked, at, at + form.length(), true);
            }
        }
        return masked == null ? text : masking(text, masked);
    }

    /** Marks every position covered by a window of a secret; allocates only when one is found. */
    private boolean[] markRuns(String text, boolean[] masked) {
        if (windows.isEmpty() || text.length() < RUN) {
            return masked;
        }
        long h = hash(text, 0);
        for (int at = 0; ; at++) {
            if (Arrays.binarySearch(windowHashes, h) >= 0 && windows.contains(text.substring(at, at + RUN))) {
                masked = masked != null ? masked : new boolean[text.length()];
                Arrays.fill(masked, at, at + RUN, true);
            }
            if (at + RUN >= text.length()) {
                return masked;
            }
            h = h * BASE - text.charAt(at) * basePowerRun + text.charAt(at + RUN);
        }
    }

    private static long hash(String text, int from) {
        long h = 0;
        for (int i = from; i < from + RUN; i++) {
            h = h * BASE + text.charAt(i);
        }
        return h;
    }

    private static String masking(String text, boolean[] masked) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (!masked[i]) {
                out.append(text.charAt(i));
            } else if (i == 0 || !masked[i - 1]) {
                out.append(MASK);
            }
        }
        return out.toString();
    }

    private static String jsonEscaped(String secret) {
        return secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/");
    }

    /**
     * @return {@code error} itself when its chain holds no secret and no internal type; otherwise a copy
     *         as described in the class comment. Null for null.
     */
    public Throwable publicCopy(Throwable error) {
        if (error == null || !needsCopy(error)) {
            return error;
        }
        return copy(error, 0);
    }

    /** As {@link #publicCopy}, for a caller's own error that is rethrown: stays a RuntimeException. */
    public RuntimeException publicRuntimeCopy(RuntimeException error) {
        Throwable copy = publicCopy(error);
        return copy instanceof RuntimeException runtime ? runtime : new LangChain4jException(copy.getMessage(), copy);
    }

    private boolean needsCopy(Throwable error) {
        int depth = 0;
        for (Throwable t = error; t != null && depth++ < 16; t = t.getCause() == t ? null : t.getCause()) {
            if (isInternal(t.getClass())) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && !message.equals(redact(message))) {
                return true;
            }
        }
        return false;
    }

    private Throwable copy(Throwable error, int depth) {
        Throwable cause = error.getCause() == null || error.getCause() == error || depth >= 16
                ? null : copy(error.getCause(), depth + 1);
        String message = redact(error.getMessage());
        Throwable copy = instantiate(publicTypeOf(error.getClass()), error, message, cause);
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    private static Class<?> publicTypeOf(Class<?> type) {
        Class<?> t = type;
        while (isInternal(t) || t.isAnonymousClass() || !java.lang.reflect.Modifier.isPublic(t.getModifiers())) {
            t = t.getSuperclass();
        }
        return t;
    }

    private static boolean isInternal(Class<?> type) {
        return type.getPackageName().equals(INTERNAL_PACKAGE);
    }

    /** The same type with a (message, cause) or (message) constructor; else a LangChain4j exception naming it. */
    private static Throwable instantiate(Class<?> type, Throwable original, String message, Throwable cause) {
        if (type == HttpException.class) { // no (message) constructor; keeps the status
            HttpException http = new HttpException(((HttpException) original).statusCode(), message);
            return cause == null ? http : http.initCause(cause);
        }
        try {
            Constructor<?> withCause = type.getConstructor(String.class, Throwable.class);
            return (Throwable) withCause.newInstance(message, cause);
        } catch (ReflectiveOperationException | RuntimeException noSuchConstructor) {
            // try the next form
        }
        try {
            Throwable copy = (Throwable) type.getConstructor(String.class).newInstance(message);
            return cause == null ? copy : copy.initCause(cause);
        } catch (ReflectiveOperationException | RuntimeException | Error noSuchConstructor) {
            return new LangChain4jException(type.getName() + ": " + message, cause);
        }
    }
}
