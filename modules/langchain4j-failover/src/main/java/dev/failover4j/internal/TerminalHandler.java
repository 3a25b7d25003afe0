package dev.failover4j.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's handler, guarded: exactly one terminal callback (complete or error, never both),
 * nothing after it, and an exception thrown by the caller's handler is logged, not mistaken for a
 * target failure. Partial responses carry a {@link StreamingHandle} whose {@code cancel()} stops the
 * whole failover call: the upstream stream is cancelled and no further callback is made.
 */
final class TerminalHandler implements StreamingHandle {

    private static final Logger log = LoggerFactory.getLogger("dev.failover4j.FailoverStreamingChatLanguageModel");

    private final StreamingChatResponseHandler handler;
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final PartialResponseContext context = new PartialResponseContext(this);

    @Override
    public void cancel() {
        cancelled.set(true);
        done.set(true);
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    TerminalHandler(StreamingChatResponseHandler handler) {
        this.handler = handler;
    }

    void partial(String text) {
        if (done.get()) {
            return;
        }
        try {
            handler.onPartialResponse(new PartialResponse(text), context);
        } catch (RuntimeException e) {
            log.warn("StreamingChatResponseHandler.onPartialResponse threw; the stream goes on", e);
        } catch (Error e) {
            // The handler is broken: stop the call (the orchestrator sees the cancel and closes the upstream stream)
            // and tell the handler once. A VirtualMachineError goes on up after that.
            log.error("StreamingChatResponseHandler.onPartialResponse threw an Error; the stream is cancelled", e);
            cancelled.set(true);
            error(e);
            if (e instanceof VirtualMachineError) {
                throw e;
            }
        }
    }

    void complete(ChatResponse response) {
        if (done.compareAndSet(false, true)) {
            try {
                handler.onCompleteResponse(response);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                log.warn("StreamingChatResponseHandler.onCompleteResponse threw", e);
            }
        }
    }

    void error(Throwable error) {
        if (done.compareAndSet(false, true)) {
            try {
                handler.onError(error);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                log.warn("StreamingChatResponseHandler.onError threw", e);
            }
        }
    }
}
