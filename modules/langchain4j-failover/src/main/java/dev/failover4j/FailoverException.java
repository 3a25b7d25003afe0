package dev.failover4j;

import dev.langchain4j.exception.LangChain4jException;
import java.util.List;

/**
 * Thrown when every target failed or was skipped, when the call's deadline passed, or when the
 * calling thread was interrupted ({@link #interrupted()}; the interrupt flag is restored).
 *
 * <p>The message says, per target, what happened (cut after about 4,000 characters with "… and N
 * more attempts"); {@link #attempts()} gives all of it to code, each failed attempt with its
 * {@link FailoverAttempt#error() error} and {@link FailoverAttempt#retryAfter() Retry-After}. The cause
 * is the last failure as the provider's own LangChain4j type ({@code RateLimitException},
 * {@code AuthenticationException}, ...), so {@code instanceof} checks work. Secrets never appear: any
 * configured API key or secret header value is masked in the message, the cause and the attempts.
 */
public class FailoverException extends LangChain4jException {

    private final List<FailoverAttempt> attempts;
    private final boolean interrupted;

    public FailoverException(String message, List<FailoverAttempt> attempts, Throwable cause, boolean interrupted) {
        super(message, cause);
        this.attempts = List.copyOf(attempts);
        this.interrupted = interrupted;
    }

    /** @return every attempt and skip of the call, in order */
    public List<FailoverAttempt> attempts() {
        return attempts;
    }

    /** @return true when the call stopped because the calling thread was interrupted */
    public boolean interrupted() {
        return interrupted;
    }
}
