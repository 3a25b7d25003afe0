package dev.failover4j.internal;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Masks configured secrets (API keys, secret header values) in text and in exception chains, so a
 * provider that echoes a key in an error body cannot leak it into our messages, events or logs.
 */
public final class Redactor {

    static final String MASK = "****";
    private static final int MIN_SECRET_LENGTH = 4;

    private final List<String> secrets;

    public Redactor(Collection<String> secrets) {
        // Longest first, so a secret containing another is masked whole.
        this.secrets = secrets.stream()
                .filter(s -> s != null && s.length() >= MIN_SECRET_LENGTH)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    public String redact(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }

    /**
     * @return a copy of the chain whose messages are redacted: each link keeps its class name (in
     *         the message), its stack trace and its redacted cause
     */
    public RuntimeException redactedCopy(Throwable error) {
        if (error == null) {
            return null;
        }
        RedactedException copy = new RedactedException(
                error.getClass().getName() + ": " + redact(String.valueOf(error.getMessage())),
                error.getCause() == null || error.getCause() == error ? null : redactedCopy(error.getCause()));
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    /**
     * @return {@code error} itself when no message in its chain holds a secret; otherwise a new
     *         exception of the same LangChain4j type (so callers' {@code catch} clauses still match)
     *         with the message masked and a redacted copy of the cause
     */
    public RuntimeException redactedForRethrow(RuntimeException error) {
        if (!holdsSecret(error)) {
            return error;
        }
        String message = redact(error.getMessage());
        RuntimeException cause = error.getCause() == null ? null : redactedCopy(error.getCause());
        RuntimeException copy;
        if (error instanceof dev.langchain4j.exception.ContentFilteredException) {
            copy = new dev.langchain4j.exception.ContentFilteredException(message);
            copy.initCause(cause);
        } else if (error instanceof dev.langchain4j.exception.UnsupportedFeatureException) {
            copy = new dev.langchain4j.exception.UnsupportedFeatureException(message);
            copy.initCause(cause);
        } else if (error instanceof dev.langchain4j.exception.InvalidRequestException) {
            copy = new dev.langchain4j.exception.InvalidRequestException(message, cause);
        } else if (error instanceof dev.langchain4j.exception.LangChain4jException) {
            copy = new dev.langchain4j.exception.LangChain4jException(message, cause);
        } else {
            copy = redactedCopy(error);
        }
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    private boolean holdsSecret(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.equals(redact(message))) {
                return true;
            }
        }
        return false;
    }

    /** A stand-in for a provider exception, with secrets masked. */
    public static final class RedactedException extends RuntimeException {
        RedactedException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
