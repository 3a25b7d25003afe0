package dev.failover4j.internal;

import dev.failover4j.FailoverAttempt;
import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverException;
import dev.failover4j.FailoverStreamingChatLanguageModel;
import dev.failover4j.FailureKind;
import dev.failover4j.IncompleteResponseException;
import dev.failover4j.PartialResponsePolicy;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import dev.failover4j.spi.AttemptResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streaming call, run on its own thread. Before the first token it is the sync model's
 * failover (the attempt ends at the first token, bounded by the first-token timeout). After it,
 * chunks are relayed with an idle timeout; a stream that breaks (error, stall, end without finish
 * reason) is continued by the next target from the delivered text ({@link PartialResponsePolicy#CONTINUE})
 * or ends in {@link IncompleteResponseException} ({@link PartialResponsePolicy#FAIL}). A break
 * before any text (e.g. in a tool call, which is never forwarded partially) restarts the response
 * on the next target. Each break moves on to the next target; after more breaks than there are
 * targets the call ends with an error. The handler gets exactly one of onCompleteResponse / onError.
 */
final class StreamingFailover {

    private static final Logger log = LoggerFactory.getLogger("dev.failover4j.FailoverStreamingChatLanguageModel");

    /** Sent after the partial answer when asking the next target to continue it (public there, for tests and stubs). */
    static final String CONTINUE_INSTRUCTION = FailoverStreamingChatLanguageModel.CONTINUE_INSTRUCTION;

    private final FailoverExecutor executor;
    private final Duration firstTokenTimeout;
    private final Duration idleTimeout;
    private final PartialResponsePolicy policy;
    private final Redactor redactor;
    private final Clock clock;

    public StreamingFailover(
            FailoverExecutor executor,
            Duration firstTokenTimeout,
            Duration idleTimeout,
            PartialResponsePolicy policy,
            Redactor redactor,
            Clock clock) {
        this.executor = executor;
        this.firstTokenTimeout = firstTokenTimeout;
        this.idleTimeout = idleTimeout;
        this.policy = policy;
        this.redactor = redactor;
        this.clock = clock;
    }

    /** What one relayed stream ended with. */
    private record Relayed(ChatResponse completed, Classification broken, Throwable error) {
        Relayed(ChatResponse completed, Classification broken) {
            this(completed, broken, null);
        }
    }

    public void run(ChatRequest request, StreamingChatResponseHandler handler) {
        TerminalHandler out = new TerminalHandler(handler);
        CallContext call = executor.newStreamingCall();
        StringBuilder delivered = new StringBuilder();
        List<String> servedBy = new ArrayList<>();
        List<TokenUsage> usages = new ArrayList<>();
        ChatRequest current = request;
        Seam seam = null;
        List<TargetRuntime> broke = new ArrayList<>(); // targets whose stream broke in this call, in order
        int breaks = 0;
        boolean hedged = false;
        try {
            while (true) {
                Served<StreamAttempt> served = executor.execute(call, current, Attempt.openEnded(
                        (target, fitted) -> StreamAttempt.start(streamingModel(target), fitted)), firstTokenTimeout, broke);
                TargetRuntime target = served.target();
                servedBy.add(target.name());
                hedged |= served.hedged();
                long start = System.nanoTime();
                Consumer<AttemptResult> report = result -> target.record(result, call, served.countedPromptTokens(), served.lastResort());
                Relayed relayed;
                try {
                    relayed = relay(served.value(), out, delivered, seam, call);
                } catch (RuntimeException | Error e) {
                    report.accept(new AttemptResult.Abandoned(since(start))); // the stream's end, whatever stopped it
                    throw e;
                }
                if (out.isCancelled()) {
                    report.accept(new AttemptResult.Abandoned(since(start)));
                    call.callCancelled();
                    log.debug("call {}: cancelled by the caller", call.callId());
                    return;
                }
                int attempt = call.lastAttempt(target.name());
                if (relayed.completed() != null) {
                    TokenUsage usage = relayed.completed().tokenUsage();
                    report.accept(new AttemptResult.Success(since(start), usage));
                    call.succeeded(target.name(), attempt, since(start));
                    if (usage != null) {
                        usages.add(usage);
                    }
                    ChatResponse response = finalResponse(relayed.completed(), delivered, target, servedBy, usages, call, hedged);
                    call.callSucceeded(target.name(), response.tokenUsage(), ((FailoverChatResponseMetadata) response.metadata()).cost());
                    out.complete(response);
                    return;
                }
                Classification broken = relayed.broken();
                call.failed(target.name(), attempt, broken, "stream broke after " + delivered.length() + " chars: ",
                        relayed.error(), since(start));
                // a break after N chunks counts in the target's failure-rate window like any failed attempt
                report.accept(new AttemptResult.Failure(broken.kind(), since(start), broken.retryAfter()));
                if (call.deadline().expired()) {
                    fail(out, call, incomplete("Failover deadline reached during the stream", call, delivered));
                    return;
                }
                if (++breaks >= executor.targetCount() + 1) {
                    fail(out, call, incomplete("The stream broke " + breaks + " times, more than there are targets", call, delivered));
                    return;
                }
                if (delivered.length() > 0 && policy == PartialResponsePolicy.FAIL) {
                    fail(out, call, incomplete("The stream from '" + target.name() + "' broke (" + broken.kind()
                            + ") after the handler received part of the answer", call, delivered));
                    return;
                }
                if (delivered.length() > 0) {
                    current = continuation(request, delivered);
                    seam = new Seam(delivered);
                    log.debug("call {}: stream from '{}' broke ({}) after {} chars; asking the next target to continue",
                            call.callId(), target.name(), broken.kind(), delivered.length());
                    call.notify(new FailoverEvent.StreamContinued(call.callId(), target.name(), broken.kind(), delivered.length()));
                } else {
                    log.debug("call {}: stream from '{}' broke ({}) before any text; restarting on the next target",
                            call.callId(), target.name(), broken.kind());
                }
                broke.add(target);
            }
        } catch (FailoverException e) {
            fail(out, call, delivered.length() == 0 ? e : incomplete(e.getMessage(), call, delivered));
        } catch (RuntimeException e) {
            // The caller's own 400 (rethrown as is) or a bug: never leave the handler waiting.
            fail(out, call, delivered.length() == 0 ? e : incomplete("Stream failed: " + redactor.redact(String.valueOf(e.getMessage())), call, delivered));
        } catch (Error e) {
            // A bug in a target's code (or the JVM's distress): the handler still gets its one terminal callback,
            // with the Error unchanged. Only a VirtualMachineError goes on up; any other has been delivered.
            log.error("call {}: a target's code threw {}; the stream ends with onError", call.callId(), e.toString());
            fail(out, call, e);
            if (e instanceof VirtualMachineError) {
                throw e;
            }
        }
    }

    private Relayed relay(StreamAttempt stream, TerminalHandler out, StringBuilder delivered, Seam seam, CallContext call) {
        try {
            while (true) {
                Duration left = call.deadline().remaining();
                if (left.isZero()) {
                    stream.cancel();
                    return new Relayed(null, new Classification(FailureKind.TIMEOUT, 0, null, "deadline reached mid-stream"));
                }
                Duration wait = idleTimeout.compareTo(left) < 0 ? idleTimeout : left;
                StreamAttempt.Signal signal = stream.next(wait);
                if (out.isCancelled()) {
                    stream.cancel();
                    return new Relayed(null, null);
                }
                if (signal == null) {
                    stream.cancel();
                    return new Relayed(null, new Classification(FailureKind.TIMEOUT, 0, null,
                            "no chunk for " + wait.toMillis() + " ms"));
                }
                if (signal instanceof StreamAttempt.Signal.Text text) {
                    String fresh = seam == null ? text.text() : seam.accept(text.text());
                    deliver(fresh, out, delivered, call);
                } else if (signal instanceof StreamAttempt.Signal.Complete complete) {
                    if (complete.response().metadata() == null || complete.response().finishReason() == null) {
                        return new Relayed(null, new Classification(FailureKind.CONNECTION, 0, null,
                                "stream ended without a finish reason"));
                    }
                    if (seam != null) {
                        deliver(seam.flush(), out, delivered, call);
                    }
                    return new Relayed(complete.response(), null);
                } else if (signal instanceof StreamAttempt.Signal.Failed failed) {
                    stream.cancel();
                    return new Relayed(null, ErrorClassifier.classify(failed.error(), clock.instant()), failed.error());
                }
            }
        } catch (InterruptedException e) {
            stream.cancel();
            Thread.currentThread().interrupt();
            throw executor.interrupted(call, e);
        }
    }

    /** The call's one terminal error: its end event, then the handler's callback. */
    private static void fail(TerminalHandler out, CallContext call, Throwable error) {
        call.callFailed(error);
        out.error(error);
    }

    private static void deliver(String text, TerminalHandler out, StringBuilder delivered, CallContext call) {
        if (!text.isEmpty()) {
            call.firstToken();
            delivered.append(text);
            out.partial(text);
        }
    }

    private static ChatRequest continuation(ChatRequest request, CharSequence delivered) {
        List<ChatMessage> messages = new ArrayList<>(request.messages());
        messages.add(AiMessage.from(delivered.toString()));
        messages.add(UserMessage.from(CONTINUE_INSTRUCTION));
        return request.toBuilder().messages(messages).build();
    }

    private static ChatResponse finalResponse(
            ChatResponse last, CharSequence delivered, TargetRuntime target, List<String> servedBy, List<TokenUsage> usages,
            CallContext call, boolean hedged) {
        AiMessage lastMessage = last.aiMessage();
        AiMessage message = delivered.length() == 0 ? lastMessage
                : lastMessage.toBuilder().text(delivered.toString()).build();
        TokenUsage usage = usages.stream().reduce(TokenUsage::add).orElse(null);
        return ChatResponse.builder()
                .aiMessage(message)
                .metadata(FailoverChatResponseMetadata.builder()
                        .targetMetadata(last.metadata())
                        .tokenUsage(usage)
                        .targetName(target.name())
                        .servedBy(servedBy)
                        .cost(FailoverExecutor.costOf(target, usage))
                        .attempts(call.attempts())
                        .hedged(hedged)
                        .build())
                .build();
    }

    private IncompleteResponseException incomplete(String why, CallContext call, CharSequence delivered) {
        List<FailoverAttempt> attempts = call.attempts();
        String message = redactor.redact(why) + "; the handler received " + delivered.length()
                + " chars of an incomplete answer. Attempts: " + FailoverExecutor.summary(attempts);
        Throwable lastError = null;
        for (FailoverAttempt attempt : attempts) {
            lastError = attempt.error() != null ? attempt.error() : lastError;
        }
        return new IncompleteResponseException(message, attempts, lastError, delivered.toString());
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static dev.langchain4j.model.chat.StreamingChatModel streamingModel(TargetRuntime target) {
        return target.target().streamingChatModel().orElseThrow(() -> new IllegalStateException(
                "target '" + target.name() + "' has no streamingChatModel"));
    }
}
