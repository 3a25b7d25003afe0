package dev.failover4j.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Future;

/**
 * Lets a stream attempt stop its HTTP exchange before the first token, when LangChain4j has not yet handed out a
 * {@code StreamingHandle} (it comes with the first partial response): the attempt opens one on its thread around
 * {@code model.chat(request, handler)}, and an {@code openAiCompatible} target's HTTP client, which starts the
 * exchange on that same thread, registers the exchange's future and, once the headers came, its body. Cancelling
 * cancels the future (the JDK client then closes the exchange) and closes the body. Thread-safe.
 */
final class ExchangeCanceller {

    private static final ThreadLocal<ExchangeCanceller> CURRENT = new ThreadLocal<>();

    private volatile Future<?> pending;
    private volatile InputStream body;
    private volatile boolean cancelled;

    /** @return a canceller that the HTTP client started on this thread registers with, until {@link #close()} */
    static ExchangeCanceller open() {
        ExchangeCanceller canceller = new ExchangeCanceller();
        CURRENT.set(canceller);
        return canceller;
    }

    /** @return the canceller opened on this thread, or null */
    static ExchangeCanceller current() {
        return CURRENT.get();
    }

    /** Ends registration on this thread (the canceller itself stays usable). */
    void close() {
        CURRENT.remove();
    }

    void pending(Future<?> exchange) {
        pending = exchange;
        if (cancelled) {
            exchange.cancel(true);
        }
    }

    void body(InputStream stream) {
        body = stream;
        if (cancelled) {
            closeQuietly(stream);
        }
    }

    void cancel() {
        cancelled = true;
        Future<?> exchange = pending;
        if (exchange != null) {
            exchange.cancel(true);
        }
        InputStream stream = body;
        if (stream != null) {
            closeQuietly(stream);
        }
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
