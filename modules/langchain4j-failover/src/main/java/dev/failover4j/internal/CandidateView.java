package dev.failover4j.internal;

import dev.failover4j.FailoverTarget;
import dev.failover4j.RoutingStrategy;
import dev.failover4j.TokenPrice;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.math.BigDecimal;
import java.time.Duration;

/** One target as a {@link RoutingStrategy} sees it for one call: cheap reads, the fit computed on first need. */
final class CandidateView implements RoutingStrategy.Candidate {

    private final TargetRuntime runtime;
    private final ChatRequest request;
    private final Fits fits;
    private BigDecimal cost; // computed on first need: a view lives for one routing decision, on one thread
    private boolean costed;

    CandidateView(TargetRuntime runtime, ChatRequest request, Fits fits) {
        this.runtime = runtime;
        this.request = request;
        this.fits = fits;
    }

    TargetRuntime runtime() {
        return runtime;
    }

    @Override
    public String name() {
        return runtime.name();
    }

    @Override
    public FailoverTarget target() {
        return runtime.target();
    }

    @Override
    public int weight() {
        return runtime.weight().get();
    }

    @Override
    public Duration ewmaLatency() {
        return runtime.stats().ewmaLatency();
    }

    @Override
    public int inFlight() {
        return runtime.stats().inFlight();
    }

    @Override
    public double errorRate() {
        return runtime.stats().errorRate();
    }

    @Override
    public int estimatedPromptTokens() {
        TargetFitter.Fitted fitted = fits.of(runtime, request);
        if (!fitted.fits()) {
            return -1;
        }
        // in our tokens (an upper bound when fitting did not need to count), converted to the target's
        return (int) Math.ceil(fitted.result().tokensAfter() * runtime.fitter().calibration().ratio());
    }

    @Override
    public int reservedOutputTokens() {
        return fits.of(runtime, request).reservedOutputTokens();
    }

    @Override
    public BigDecimal estimatedCost() {
        if (!costed) {
            costed = true;
            int prompt = runtime.target().price().isEmpty() ? -1 : estimatedPromptTokens();
            if (prompt >= 0) {
                // TokenPrice.cost's value, without its division: exact, and a tenth of the time (prices are per million)
                TokenPrice price = runtime.target().price().get();
                cost = price.inputPerMillion().multiply(BigDecimal.valueOf(prompt))
                        .add(price.outputPerMillion().multiply(BigDecimal.valueOf(reservedOutputTokens()))).movePointLeft(6);
            }
        }
        return cost;
    }

    @Override
    public double estimatedCostValue() {
        if (runtime.target().price().isEmpty()) {
            return Double.NaN;
        }
        int prompt = estimatedPromptTokens();
        if (prompt < 0) {
            return Double.NaN;
        }
        TokenPrice price = runtime.target().price().get();
        return price.inputPerMillion().doubleValue() * prompt + price.outputPerMillion().doubleValue() * reservedOutputTokens();
    }

    @Override
    public String toString() {
        return name();
    }
}
