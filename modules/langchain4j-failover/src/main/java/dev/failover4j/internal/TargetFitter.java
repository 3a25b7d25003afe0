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
    public record Fitted(ChatRequest request, FitResult result, int budgetTokens, int reservedOutputTokens) {
        public boolean fits() {
            return request != null;
        }

        public boolean truncated() {
            return result != null && result.truncated();
        }
    }

    private final FailoverTarget target;
    private final FittingConfig config;
    private final ContextFitter fitter;

    /** @throws IllegalArgumentException when a request that sets no maxOutputTokens could never fit this target */
    public TargetFitter(FailoverTarget target, FittingConfig config) {
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
    }

    public Fitted fit(ChatRequest request) {
        int window = target.contextWindowTokens();
        Integer requested = request.parameters().maxOutputTokens();
        int reserved = requested != null ? requested
                : target.maxOutputTokens().isPresent() ? target.maxOutputTokens().get() : config.reservedOutputTokens(window);
        int budget = window - reserved - target.safetyMarginTokens();
        if (budget <= 0) {
            return new Fitted(null, null, budget, reserved);
        }
        FitResult result = fitter.fit(request.messages(), request.parameters().toolSpecifications(), budget);
        if (!result.fits()) {
            return new Fitted(null, result, budget, reserved);
        }
        ChatRequest fitted = result.truncated() ? request.toBuilder().messages(result.messages()).build() : request;
        return new Fitted(fitted, result, budget, reserved);
    }

    /** @return e.g. "needs at least 9120 tokens; budget 6976 of window 8000 (1024 reserved for output)" */
    public String tooSmallDetail(Fitted fitted) {
        String needs = fitted.result() == null ? "cannot reserve output"
                : "needs at least " + fitted.result().requiredTokens() + " tokens";
        return needs + "; budget " + fitted.budgetTokens() + " of window " + target.contextWindowTokens() + " ("
                + fitted.reservedOutputTokens() + " reserved for output, " + target.safetyMarginTokens() + " margin)";
    }
}
