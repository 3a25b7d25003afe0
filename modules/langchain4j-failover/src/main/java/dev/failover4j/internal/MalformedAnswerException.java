package dev.failover4j.internal;

import dev.langchain4j.exception.LangChain4jException;

/**
 * A target's model answered with nothing usable: {@code null} instead of a response, a response
 * without an {@code AiMessage}, or a stream callback with {@code null}. Classified like a malformed
 * body. Internal: outside this package it is seen as its public supertype (see {@link Redactor}).
 */
final class MalformedAnswerException extends LangChain4jException {

    MalformedAnswerException(String message) {
        super(message);
    }
}
