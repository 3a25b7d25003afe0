package dev.failover4j.testkit.internal;

import dev.failover4j.testkit.Fault;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A chunked {@code text/event-stream} body that writes and flushes one event (one HTTP chunk) at a
 * time, optionally paced, and applies a stream fault after N events.
 *
 * <p>MockWebServer writes a body of unknown length raw, so the chunked framing is done here; with
 * {@code Transfer-Encoding: chunked} set it appends the (empty) trailers after {@code writeTo}, so a
 * clean end writes only the last-chunk line. A cut is an {@link IOException} thrown out of
 * {@code writeTo}: MockWebServer then closes the socket without the terminating chunk, which is what a
 * client sees when a provider dies mid-stream.
 */
final class SseBody implements MockResponseBody {

    private final EventSource events;
    private final Fault streamFault;
    private final Duration interval;
    private final ShutdownSignal shutdown;

    SseBody(EventSource events, Fault streamFault, Duration interval, ShutdownSignal shutdown) {
        this.events = events;
        this.streamFault = streamFault;
        this.interval = interval;
        this.shutdown = shutdown;
    }

    /** Sets {@code body} on {@code response} with the chunked framing headers it needs. */
    static MockResponse.Builder attach(MockResponse.Builder response, SseBody body) {
        return response.body(body)
                .removeHeader("Content-Length")
                .setHeader("Transfer-Encoding", "chunked");
    }

    @Override
    public long getContentLength() {
        return -1L;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        shutdown.register(events);
        try {
            int sent = 0;
            String event;
            while ((event = events.next()) != null) {
                boolean done = EventSource.isDone(event);
                if (streamFault != null && (sent == streamFault.threshold() || done)) {
                    applyFault(sink);
                    return;
                }
                if (sent > 0 && !interval.isZero() && shutdown.await(interval)) {
                    throw new IOException("chaos: endpoint closed");
                }
                writeChunk(sink, event + "\n\n");
                sent++;
            }
            if (streamFault != null) {
                applyFault(sink);
                return;
            }
            endChunks(sink);
        } finally {
            shutdown.unregister(events);
            events.close();
        }
    }

    private static void writeChunk(BufferedSink sink, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sink.writeUtf8(Integer.toHexString(bytes.length)).writeUtf8("\r\n").write(bytes).writeUtf8("\r\n");
        sink.flush();
    }

    /** The last-chunk line; MockWebServer adds the empty trailer section and final CRLF. */
    private static void endChunks(BufferedSink sink) throws IOException {
        sink.writeUtf8("0\r\n");
        sink.flush();
    }

    private void applyFault(BufferedSink sink) throws IOException {
        switch (streamFault.kind()) {
            case STREAM_CUT -> throw new IOException("chaos: stream cut");
            case STREAM_STALL -> {
                sink.flush();
                shutdown.await();
                throw new IOException("chaos: endpoint closed while stalled");
            }
            case STREAM_ERROR_EVENT -> {
                writeChunk(sink, "event: error\ndata: " + ErrorBodies.streamError() + "\n\n");
                endChunks(sink);
            }
            default -> throw new IllegalStateException("not a stream fault: " + streamFault);
        }
    }
}
