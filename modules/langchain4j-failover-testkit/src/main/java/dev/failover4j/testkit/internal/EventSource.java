package dev.failover4j.testkit.internal;

import java.io.Closeable;
import java.io.IOException;

/** Yields SSE events (each the lines of one event, without the blank separator line). */
interface EventSource extends Closeable {

    /** The next event, or {@code null} at the end of the stream. */
    String next() throws IOException;

    /** Whether {@code event} is the terminal {@code data: [DONE]}. */
    static boolean isDone(String event) {
        return event.strip().equals("data: [DONE]");
    }
}
