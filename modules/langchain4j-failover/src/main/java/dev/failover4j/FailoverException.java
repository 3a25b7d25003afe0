package dev.failover4j;

import dev.langchain4j.exception.LangChain4jException;
import java.util.List;

/**
 * Thrown when every target failed or was skipped, when the call's deadline passed, or when the
 * calling thread was interrupted ({@link #interrupted()}; the interrupt flag is restored).
 *
 * <p>The message says, per target, what happened; {@link #attempts()} gives the same for code.
 * Secrets never appear: the message is redacted and the cause is a redacted copy of the last
 * failure (same class name, message and stack trace, with any configured API key masked).
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
