package dev.failover4j;

import java.util.List;

/**
 * Given to a streaming handler's {@code onError} when a stream broke after text was delivered and
 * the answer could not be completed (policy {@link PartialResponsePolicy#FAIL}, or no target could
 * continue it). The text the handler already received is {@link #partialText()}; it is incomplete.
 */
public class IncompleteResponseException extends FailoverException {

    private final String partialText;

    public IncompleteResponseException(String message, List<FailoverAttempt> attempts, Throwable cause, String partialText) {
        super(message, attempts, cause, false);
        this.partialText = partialText;
    }

    /** @return the text delivered to the handler before the stream broke */
    public String partialText() {
        return partialText;
    }
}
