package dev.failover4j.internal;

import dev.failover4j.FailoverTarget;
import dev.failover4j.HealthCheck;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.failover4j.FailureKind;
import dev.failover4j.SkipReason;
import dev.failover4j.health.TargetHealthSnapshot;
import dev.failover4j.spi.AttemptResult;
import dev.failover4j.spi.TargetState;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A target together with its live state: what the execution loop works with.
 *
 * @param stats              this JVM's statistics of the target's attempts
 * @param weight             its weight for weighted routing now (starts at the target's, changed by operators)
 * @param budget             its requests/tokens per minute, or null when it has none
 * @param modelNameIsDefault whether the target's chat (and streaming) models already default to the
 *                           target's model name, so a request that names no model needs no copy
 */
record TargetRuntime(
        FailoverTarget target,
        TargetState state,
        TargetFitter fitter,
        LiveStats stats,
        AtomicInteger weight,
        TargetBudget budget,
        boolean modelNameIsDefault) {

    TargetRuntime(FailoverTarget target, TargetState state, TargetFitter fitter, LiveStats stats) {
        this(target, state, fitter, stats, TargetBudget.of(target));
    }

    /** @param budget the target's budget as its group's state factory made it, or null when it has none */
    TargetRuntime(FailoverTarget target, TargetState state, TargetFitter fitter, LiveStats stats, TargetBudget budget) {
        this(target, state, fitter, stats, new AtomicInteger(target.weight()), budget, modelNameIsDefault(target));
    }

    private static boolean modelNameIsDefault(FailoverTarget target) {
        String modelName = target.modelName().orElse(null);
        return modelName != null
                && (target.chatModel() == null || defaultsTo(target.chatModel().defaultRequestParameters(), modelName))
                && target.streamingChatModel().map(streaming -> defaultsTo(streaming.defaultRequestParameters(), modelName)).orElse(true);
    }

    private static boolean defaultsTo(dev.langchain4j.model.chat.request.ChatRequestParameters defaults, String modelName) {
        return defaults != null && modelName.equals(defaults.modelName());
    }

    public String name() {
        return target.name();
    }

    /** An attempt is about to be sent (it then ends with {@link #record} or {@link #recordLastResort}). */
    void started() {
        stats.started();
    }

    /** @return null when the target may be tried now, else why not (see {@link TargetState#admission()}) */
    SkipReason admission(long callId) {
        CausingCall.set(callId); // an open breaker whose time is up turns half-open here
        return state.admission();
    }

    /**
     * The one write path: an attempt ended; its state (through {@code record}, or {@code recordLastResort} for a
     * last-resort trial), its stats and its token calibration learn it together.
     *
     * @param countedPromptTokens our exact count of the prompt the attempt sent, or -1
     */
    void record(AttemptResult result, CallContext call, int countedPromptTokens, boolean lastResort) {
        CausingCall.set(call.callId());
        if (lastResort) {
            state.recordLastResort(result);
        } else {
            state.record(result);
        }
        stats.ended(result);
        if (result instanceof AttemptResult.Success success && success.tokenUsage() != null) {
            if (budget != null) {
                budget.chargeOutput(success.tokenUsage().outputTokenCount());
            }
            TokenCalibration.Move move = fitter.calibration().fromUsage(countedPromptTokens, success.tokenUsage().inputTokenCount());
            if (move != null) {
                call.tokenRatioChanged(name(), move);
            }
        }
    }

    /** @return the state's snapshot with this JVM's stats */
    TargetHealthSnapshot snapshot() {
        TokenCalibration calibration = fitter.calibration();
        return state.snapshot().withStats(stats.snapshot(calibration.ratio(), calibration.samples()));
    }

    /**
     * Sends a one-token request straight to the target, bounded by {@code timeout}; see
     * {@code FailoverChatLanguageModel.probe}. It runs on a thread of its own, so that even a model that
     * ignores interrupts cannot hold the caller longer than {@code timeout} (it is interrupted and left).
     */
    public boolean probe(Clock clock, Duration timeout) {
        Checked checked = check(clock, timeout);
        if (checked == null) {
            return false; // interrupted
        }
        CausingCall.set(0);
        state.recordProbe(checked.result());
        return checked.result() instanceof AttemptResult.Success;
    }

    /** What one check of the target came to: its result and, for a failure, a short detail (not yet redacted). */
    record Checked(AttemptResult result, String detail) {}

    /**
     * Sends the one-token check and waits for it at most {@code timeout}, recording nothing.
     *
     * @return the outcome, or null when the calling thread was interrupted (its flag restored)
     */
    Checked check(Clock clock, Duration timeout) {
        ChatRequest ping = requestFor(ChatRequest.builder().messages(UserMessage.from("ping")).maxOutputTokens(1).build());
        HealthCheck custom = target.healthCheck().orElse(null);
        FutureTask<ChatResponse> task = new FutureTask<>(custom == null
                ? () -> FailoverExecutor.answerOf(target.chatModel().chat(ping))
                : () -> {
                    custom.check();
                    return null;
                });
        Thread thread = new Thread(task, "failover-check-" + name());
        thread.setDaemon(true);
        long start = System.nanoTime();
        thread.start();
        try {
            ChatResponse answer = task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Checked(new AttemptResult.Success(since(start), answer == null ? null : answer.tokenUsage()), "");
        } catch (TimeoutException e) {
            task.cancel(true);
            return new Checked(new AttemptResult.Failure(FailureKind.TIMEOUT, since(start), null),
                    "probe timeout of " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            Classification c = ErrorClassifier.classify(e.getCause(), clock.instant());
            return new Checked(new AttemptResult.Failure(c.kind(), since(start), c.retryAfter()), c.detail());
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** @return the request as this target must receive it: its own model name replaces the caller's */
    ChatRequest requestFor(ChatRequest request) {
        String requested = request.parameters().modelName();
        if (requested == null && modelNameIsDefault) {
            return request; // the target's model fills in its own name
        }
        String modelName = target.modelName().orElse(null);
        if (modelName == null || modelName.equals(requested)) {
            return request;
        }
        return request.toBuilder().modelName(modelName).build();
    }
}
