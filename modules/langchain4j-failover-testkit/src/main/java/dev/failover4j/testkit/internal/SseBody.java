package dev.failover4j.testkit.internal;

import dev.failover4j.testkit.Fault;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

import java.io.IOException;
import java.time.Duration;

/**
 * A chunked {@code text/event-stream} body that writes and flushes one event at a time, optionally
 * paced, and applies a stream fault after N events. A cut is an {@link IOException} thrown out of
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
                sink.writeUtf8(event).writeUtf8("\n\n");
                sink.flush();
                sent++;
            }
            if (streamFault != null) {
                applyFault(sink);
            }
        } finally {
            shutdown.unregister(events);
            events.close();
        }
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
                sink.writeUtf8("event: error\ndata: ").writeUtf8(ErrorBodies.streamError()).writeUtf8("\n\n");
                sink.flush();
            }
            default -> throw new IllegalStateException("not a stream fault: " + streamFault);
        }
    }
}
