package dev.failover4j.internal;

import dev.failover4j.FitStrategy;
import dev.failover4j.FittingConfig;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides the order in which one call tries the targets: its plan. Targets form tiers tried in order; within
 * a tier a strategy orders them. Today every target is a tier of its own, in the order given (priority), so
 * the plan is the list order; {@link FitStrategy#PREFER_FULL_HISTORY} then moves the targets that take the
 * whole history to the front. A call that is continued after a stream broke asks for the plan with the
 * targets that broke in it moved to the end, in the order they broke (so the next untried target comes next,
 * and a target is tried again only after every other one). Thread-safe; one per group.
 *
 * <p>The seam for routing within tiers (weights, least latency, lowest cost): the planning loop only ever
 * walks a plan, it never indexes the target list.
 */
final class Router {

    private final List<TargetRuntime> targets;
    private final FittingConfig fitting;

    Router(List<TargetRuntime> targets, FittingConfig fitting) {
        this.targets = List.copyOf(targets);
        this.fitting = fitting;
    }

    /**
     * @param brokeInThisCall targets whose stream broke earlier in this call, in the order they broke (empty for a
     *                        new call); they go last
     * @return the targets in the order this call tries them; the fits computed on the way are kept in {@code fits}
     */
    List<TargetRuntime> plan(ChatRequest request, Fits fits, List<TargetRuntime> brokeInThisCall) {
        List<TargetRuntime> ordered = targets;
        if (!brokeInThisCall.isEmpty()) {
            ordered = new ArrayList<>(targets.size());
            for (TargetRuntime target : targets) {
                if (!brokeInThisCall.contains(target)) {
                    ordered.add(target);
                }
            }
            for (TargetRuntime target : brokeInThisCall) {
                ordered.remove(target); // a target that broke twice goes by its latest break
                ordered.add(target);
            }
        }
        if (fitting.strategy() != FitStrategy.PREFER_FULL_HISTORY || targets.size() == 1) {
            return ordered;
        }
        List<TargetRuntime> whole = new ArrayList<>();
        List<TargetRuntime> rest = new ArrayList<>();
        for (TargetRuntime target : ordered) {
            TargetFitter.Fitted fitted = fits.of(target, request);
            (fitted.fits() && !fitted.truncated() ? whole : rest).add(target);
        }
        whole.addAll(rest);
        return whole;
    }
}
