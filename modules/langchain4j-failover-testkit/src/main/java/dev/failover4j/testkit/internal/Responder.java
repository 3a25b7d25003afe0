package dev.failover4j.testkit.internal;

import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.RecordedChatRequest;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/** Produces the answer to a request no answer-deciding fault caught: the server's own, or the upstream's. */
public interface Responder {

    /**
     * @param raw         the request as received, secrets unmasked (only the proxy needs them)
     * @param streamFault a stream fault to apply to a streamed answer, or {@code null}
     * @param served      call when the request was answered normally
     */
    MockResponse.Builder respond(RecordedChatRequest request, RecordedRequest raw, Fault streamFault, Runnable served);
}
