package dev.failover4j.internal;

import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One streaming attempt on one target. The target's model calls this handler on its own threads;
 * every callback becomes a {@link Signal} in a queue that one orchestrating thread consumes, so the
 * caller's handler sees callbacks in order from one thread, and timeouts are plain queue polls.
 */
final class StreamAttempt implements StreamingChatResponseHandler {

    /** What the target's stream did. */
    sealed interface Signal {
        record Text(String text) implements Signal {}

        /** Thinking or tool-call deltas: proof of life, not forwarded. */
        record Progress() implements Signal {}

        record Complete(ChatResponse response) implements Signal {}

        record Failed(Throwable error) implements Signal {}
    }

    private final LinkedBlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private volatile StreamingHandle handle;
    /** Stops the exchange before a handle exists (an {@code openAiCompatible} target's client registers with it). */
    private ExchangeCanceller exchange;
    private volatile boolean abandoned;
    private Signal first;

    /**
     * Starts the stream and waits for its first signal: the planning core's attempt. Interrupted by
     * the first-token timeout or the deadline, it cancels the stream.
     *
     * @throws RuntimeException what the target failed with before its first token
     */
    static StreamAttempt start(StreamingChatModel model, ChatRequest request) {
        StreamAttempt attempt = new StreamAttempt();
        attempt.exchange = ExchangeCanceller.open();
        try {
            model.chat(request, attempt);
        } finally {
            attempt.exchange.close();
        }
        try {
            Signal first = attempt.signals.take();
            if (first instanceof Signal.Failed failed) {
                throw failed.error() instanceof RuntimeException e ? e : new LangChain4jException(failed.error());
            }
            attempt.first = first;
            return attempt;
        } catch (InterruptedException e) {
            attempt.cancel();
            Thread.currentThread().interrupt();
            throw new LangChain4jException("interrupted while waiting for the first token", e);
        }
    }

    /** @return the next signal, or null when none came within {@code timeout} (a stall) */
    Signal next(Duration timeout) throws InterruptedException {
        if (first != null) {
            Signal signal = first;
            first = null;
            return signal;
        }
        return signals.poll(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Stops the upstream stream when its handle is known, and ignores whatever it still sends. */
    void cancel() {
        abandoned = true;
        if (exchange != null) {
            exchange.cancel();
        }
        StreamingHandle h = handle;
        if (h != null) {
            try {
                h.cancel();
            } catch (RuntimeException ignored) {
                // best effort: the HTTP read timeout closes it otherwise
            }
        }
    }

    private void offer(Signal signal) {
        if (!abandoned) {
            signals.add(signal);
        }
    }

    @Override
    public void onPartialResponse(String partialResponse) {
        offer(partialResponse == null ? malformed("onPartialResponse(null)") : new Signal.Text(partialResponse));
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        keepHandle(context);
        offer(partialResponse == null || partialResponse.text() == null
                ? malformed("onPartialResponse with no text") : new Signal.Text(partialResponse.text()));
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
        keepHandle(context == null ? null : context.streamingHandle());
        offer(new Signal.Progress());
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
        keepHandle(context == null ? null : context.streamingHandle());
        offer(new Signal.Progress());
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall) {
        offer(new Signal.Progress());
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
        offer(completeResponse == null || completeResponse.aiMessage() == null
                ? malformed("onCompleteResponse without a response") : new Signal.Complete(completeResponse));
    }

    @Override
    public void onError(Throwable error) {
        offer(new Signal.Failed(error == null ? new MalformedAnswerException("onError(null)") : error));
    }

    private void keepHandle(PartialResponseContext context) {
        keepHandle(context == null ? null : context.streamingHandle());
    }

    private void keepHandle(StreamingHandle streamingHandle) {
        if (streamingHandle != null) {
            handle = streamingHandle;
        }
    }

    /** A callback with nothing in it: the stream is broken like one with a malformed chunk. */
    private static Signal malformed(String what) {
        return new Signal.Failed(new MalformedAnswerException("the stream called " + what));
    }
}
