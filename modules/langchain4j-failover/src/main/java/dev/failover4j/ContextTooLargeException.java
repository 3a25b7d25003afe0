package dev.failover4j;

import java.util.List;

/**
 * Thrown before any network call when even the system messages and the newest turn do not fit any
 * target's context window. The message names the token count and each target's window and budget.
 */
public class ContextTooLargeException extends FailoverException {

    public ContextTooLargeException(String message, List<FailoverAttempt> attempts) {
        super(message, attempts, null, false);
    }
}
