package dev.failover4j.support;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records every callback of a stream; {@link #await} waits for the terminal one. Thread-safe. */
public class RecordingHandler implements StreamingChatResponseHandler {

    public final List<String> partials = new CopyOnWriteArrayList<>();
    public final AtomicInteger terminals = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile ChatResponse response;
    private volatile Throwable error;
    private final List<String> callbacksAfterTerminal = new CopyOnWriteArrayList<>();

    @Override
    public void onPartialResponse(String partialResponse) {
        if (done.getCount() == 0) {
            callbacksAfterTerminal.add("partial " + partialResponse);
        }
        partials.add(partialResponse);
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
        response = completeResponse;
        terminals.incrementAndGet();
        done.countDown();
    }

    @Override
    public void onError(Throwable throwable) {
        error = throwable;
        terminals.incrementAndGet();
        done.countDown();
    }

    /** Waits for the terminal callback; fails the test when none comes. */
    public RecordingHandler await(Duration timeout) throws InterruptedException {
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no terminal callback within " + timeout + "; partials so far: " + partials);
        }
        return this;
    }

    public ChatResponse response() {
        return response;
    }

    public Throwable error() {
        return error;
    }

    public String text() {
        return String.join("", partials);
    }

    public List<String> callbacksAfterTerminal() {
        return callbacksAfterTerminal;
    }
}
