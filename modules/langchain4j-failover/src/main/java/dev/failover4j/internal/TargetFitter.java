package dev.failover4j.internal;

import dev.failover4j.FailoverTarget;
import dev.failover4j.FittingConfig;
import dev.failover4j.fit.ContextFitter;
import dev.failover4j.fit.FitResult;
import dev.langchain4j.model.chat.request.ChatRequest;

/**
 * Fits a request to one target's window: budget = window − reserved output − safety margin; the
 * {@link ContextFitter} keeps system messages and the newest turn and drops the oldest turns.
 * One per target, so the per-message token cache follows the target's tokenizer.
 */
final class TargetFitter {

    /** The outcome for one target: the request to send, or why none fits. */
    record Fitted(ChatRequest request, FitResult result, int budgetTokens, int reservedOutputTokens) {
        boolean fits() {
            return request != null;
        }

        boolean truncated() {
            return result != null && result.truncated();
        }

        /** @return our exact count of the request's prompt, or -1 when fitting did not need to count it (fast path) */
        int countedPromptTokens() {
            return result != null && result.tokensAfterExact() ? result.tokensAfter() : -1;
        }
    }

    private final FailoverTarget target;
    private final FittingConfig config;
    private final ContextFitter fitter;
    private final TokenCalibration calibration;

    /** @throws IllegalArgumentException when a request that sets no maxOutputTokens could never fit this target */
    TargetFitter(FailoverTarget target, FittingConfig config) {
        this.target = target;
        this.config = config;
        if (target.maxOutputTokens().isEmpty()) {
            int reserved = config.reservedOutputTokens(target.contextWindowTokens());
            if (reserved + target.safetyMarginTokens() >= target.contextWindowTokens()) {
                throw new IllegalArgumentException("the default reserved output (" + reserved + " tokens, FittingConfig) + "
                        + "safetyMarginTokens (" + target.safetyMarginTokens() + ") of target '" + target.name()
                        + "' leave no room in contextWindowTokens (" + target.contextWindowTokens() + "); set a smaller "
                        + "safetyMarginTokens or the target's maxOutputTokens");
            }
        }
        this.fitter = ContextFitter.builder()
                .tokenizer(target.tokenizer())
                .startWithUserMessage(config.startWithUserMessage())
                .build();
        this.calibration = new TokenCalibration(target.tokenRatio(), target.tokenizer().exact());
    }

    /** @return whether this target's fits can be shared with {@code other}'s (same tokenizer, same fitting rules) */
    boolean countsLike(TargetFitter other) {
        return target.tokenizer().equals(other.target.tokenizer()) && config.startWithUserMessage() == other.config.startWithUserMessage();
    }

    TokenCalibration calibration() {
        return calibration;
    }

    /** @return the window to fit into: the declared one, or a smaller one a provider stated */
    int windowTokens() {
        int learned = calibration.learnedWindow();
        return learned > 0 ? Math.min(learned, target.contextWindowTokens()) : target.contextWindowTokens();
    }

    /** Our exact count of a request's prompt: off the call path only (a failure that needs it). */
    int countExactly(ChatRequest request) {
        var tokenizer = target.tokenizer();
        long total = tokenizer.replyPrimingTokens() + (long) tokenizer.countTools(request.parameters().toolSpecifications());
        for (var message : request.messages()) {
            total += tokenizer.countMessage(message);
        }
        return (int) Math.min(total, Integer.MAX_VALUE);
    }

    /**
     * Budget = window − reserved output − safety margin, in the model's tokens, divided by the learned ratio to
     * be in ours (one division; 1.0 until something was learned, and always for a well-behaved exact tokenizer).
     */
    Fitted fit(ChatRequest request) {
        return fit(request, null);
    }

    /**
     * As {@link #fit(ChatRequest)}; {@code sibling}, when given, is the same request's fit for another target whose
     * tokenizer counts like this one's: when its budget is this target's too, its result is this target's (fitting
     * depends only on the tokenizer and the budget), so a tier of one model's deployments fits a request once.
     */
    Fitted fit(ChatRequest request, Fitted sibling) {
        int window = windowTokens();
        Integer requested = request.parameters().maxOutputTokens();
        int reserved = requested != null ? requested
                : target.maxOutputTokens().isPresent() ? target.maxOutputTokens().get() : config.reservedOutputTokens(window);
        int modelBudget = window - reserved - target.safetyMarginTokens();
        double ratio = calibration.ratio();
        int budget = ratio == 1.0 ? modelBudget : (int) Math.floor(modelBudget / ratio);
        if (budget <= 0) {
            return new Fitted(null, null, budget, reserved);
        }
        if (sibling != null && sibling.result() != null && sibling.budgetTokens() == budget) {
            return new Fitted(sibling.request(), sibling.result(), budget, reserved);
        }
        FitResult result = fitter.fit(request.messages(), request.parameters().toolSpecifications(), budget);
        if (!result.fits()) {
            return new Fitted(null, result, budget, reserved);
        }
        ChatRequest fitted = result.truncated() ? request.toBuilder().messages(result.messages()).build() : request;
        return new Fitted(fitted, result, budget, reserved);
    }

    /** @return e.g. "needs at least 9120 tokens; budget 6976 of window 8000 (1024 reserved for output, 0 margin)" */
    String tooSmallDetail(Fitted fitted) {
        String needs = fitted.result() == null ? "cannot reserve output"
                : "needs at least " + fitted.result().requiredTokens() + " tokens";
        double ratio = calibration.ratio();
        return needs + "; budget " + fitted.budgetTokens() + " of window " + windowTokens() + " ("
                + fitted.reservedOutputTokens() + " reserved for output, " + target.safetyMarginTokens() + " margin"
                + (ratio == 1.0 ? "" : String.format(java.util.Locale.ROOT, ", the model counts %.2f× ours", ratio)) + ")";
    }
}
