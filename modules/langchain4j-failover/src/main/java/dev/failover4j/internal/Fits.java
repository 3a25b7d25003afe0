package dev.failover4j.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Each target's fit of one call's request, computed once, on first need (one array, no map: the healthy path
 * fits one target); targets whose tokenizers count alike share a fit when their budgets match. Not thread-safe:
 * one per call.
 */
final class Fits {

    private final List<TargetRuntime> targets;
    private final TargetFitter.Fitted[] byPosition;

    Fits(List<TargetRuntime> targets) {
        this.targets = targets;
        this.byPosition = new TargetFitter.Fitted[targets.size()];
    }

    TargetFitter.Fitted of(TargetRuntime target, ChatRequest request) {
        int position = targets.indexOf(target);
        TargetFitter.Fitted fitted = byPosition[position];
        if (fitted == null) {
            fitted = target.fitter().fit(request, sibling(target));
            byPosition[position] = fitted;
        }
        return fitted;
    }

    /** @return a fit of the same request already made for a target that counts alike, or null */
    private TargetFitter.Fitted sibling(TargetRuntime target) {
        for (int i = 0; i < byPosition.length; i++) {
            TargetFitter.Fitted other = byPosition[i];
            if (other != null && other.result() != null && targets.get(i).fitter().countsLike(target.fitter())) {
                return other;
            }
        }
        return null;
    }

    /** Replaces a target's fit, e.g. after its calibration changed. */
    void replace(TargetRuntime target, TargetFitter.Fitted fitted) {
        byPosition[targets.indexOf(target)] = fitted;
    }

    /** @return the fit already computed for {@code target}, or null */
    TargetFitter.Fitted get(TargetRuntime target) {
        return byPosition[targets.indexOf(target)];
    }

    List<TargetFitter.Fitted> all() {
        return Arrays.stream(byPosition).filter(Objects::nonNull).toList();
    }
}
