package dev.failover4j.testkit.internal;

import dev.failover4j.testkit.Fault;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketHandler;
import okio.BufferedSink;
import okio.Okio;
import okio.Socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A chunked {@code text/event-stream} body that writes and flushes one event (one HTTP chunk) at a
 * time, optionally paced, and applies a stream fault after N events.
 *
 * <p>Why a {@link SocketHandler} rather than a {@code MockResponseBody}: MockWebServer 5.5.1 writes a
 * body of unknown length raw and, when {@code writeTo} throws, leaves the socket open, so a "cut" would
 * look like a stall. Owning the socket after the headers lets a cut really close it (no terminating
 * chunk: the client sees a truncated chunked body) and a stall really hold it. The response carries
 * {@code Connection: close}, and the socket is closed after a complete stream too.
 */
final class SseBody implements SocketHandler {

    /**
     * Pause between the last event sent and a cut. The JDK HTTP client (which LangChain4j uses) discards
     * bytes it has buffered but not yet handed out once the connection fails, so an instant cut would make
     * the chunks before it vanish at random; a provider dying mid-stream also rarely dies the instant a
     * chunk leaves.
     */
    static final Duration CUT_GRACE = Duration.ofMillis(150);

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
        return response
                .removeHeader("Content-Length")
                .setHeader("Transfer-Encoding", "chunked")
                .setHeader("Connection", "close")
                .socketHandler(body);
    }

    @Override
    public void handle(Socket socket) {
        shutdown.register(events);
        shutdown.register(socket::cancel);
        try (BufferedSink sink = Okio.buffer(socket.getSink())) {
            int sent = 0;
            String event;
            while ((event = events.next()) != null) {
                boolean done = EventSource.isDone(event);
                if (streamFault != null && (sent == streamFault.threshold() || done)) {
                    applyFault(sink, socket);
                    return;
                }
                if (sent > 0 && !interval.isZero() && shutdown.await(interval)) {
                    socket.cancel();
                    return;
                }
                writeChunk(sink, event + "\n\n");
                sent++;
            }
            if (streamFault != null) {
                applyFault(sink, socket);
                return;
            }
            endChunks(sink);
        } catch (IOException e) {
            // the client went away or the endpoint closed: nothing left to answer
        } finally {
            socket.cancel();
            shutdown.unregister(events);
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            events.close();
        } catch (IOException | UncheckedIOException ignored) {
            // upstream already gone
        }
    }

    private static void writeChunk(BufferedSink sink, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sink.writeUtf8(Integer.toHexString(bytes.length)).writeUtf8("\r\n").write(bytes).writeUtf8("\r\n");
        sink.flush();
    }

    /** The last chunk and the empty trailer section. */
    private static void endChunks(BufferedSink sink) throws IOException {
        sink.writeUtf8("0\r\n\r\n");
        sink.flush();
    }

    private void applyFault(BufferedSink sink, Socket socket) throws IOException {
        switch (streamFault.kind()) {
            case STREAM_CUT -> {
                sink.flush();
                shutdown.await(CUT_GRACE);
                socket.cancel();
            }
            case STREAM_STALL -> {
                sink.flush();
                shutdown.await();
            }
            case STREAM_ERROR_EVENT -> {
                writeChunk(sink, "event: error\ndata: " + ErrorBodies.streamError() + "\n\n");
                endChunks(sink);
            }
            default -> throw new IllegalStateException("not a stream fault: " + streamFault);
        }
    }
}
