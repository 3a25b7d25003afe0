package dev.failover4j.internal;

import dev.failover4j.FailureKind;
import java.time.Duration;

/**
 * A classified failure.
 *
 * @param kind       what it means for the call
 * @param httpStatus the HTTP status when one was seen, else 0
 * @param retryAfter the provider's Retry-After when given, else null
 * @param detail     a short description, not yet redacted
 */
record Classification(FailureKind kind, int httpStatus, Duration retryAfter, String detail) {}
