package dev.failover4j.internal;

import dev.failover4j.FitStrategy;
import dev.failover4j.FittingConfig;
import dev.failover4j.RoutingStrategy;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decides the order in which one call tries the targets: its plan. Targets form tiers tried in order (by
 * {@code FailoverTarget.priority}; without priorities every target is a tier of its own, in the order given,
 * and the plan is the list order, with no allocation); within a tier the group's {@link RoutingStrategy}
 * orders them from read-only {@link CandidateView}s; {@link FitStrategy#PREFER_FULL_HISTORY} then moves the targets that take the
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
    private final RoutingStrategy strategy;
    /** The tiers in order, each in the order given; null when every target is a tier of its own (the list order). */
    private final List<List<TargetRuntime>> tiers;

    /** @throws IllegalArgumentException when some targets have a priority and others none */
    Router(List<TargetRuntime> targets, FittingConfig fitting, RoutingStrategy strategy) {
        this.targets = List.copyOf(targets);
        this.fitting = fitting;
        this.strategy = strategy;
        this.tiers = tiersOf(this.targets);
    }

    private static List<List<TargetRuntime>> tiersOf(List<TargetRuntime> targets) {
        long withPriority = targets.stream().filter(t -> t.target().priority().isPresent()).count();
        if (withPriority == 0) {
            return null;
        }
        if (withPriority < targets.size()) {
            throw new IllegalArgumentException("set priority on every target or on none, but only "
                    + targets.stream().filter(t -> t.target().priority().isPresent()).map(TargetRuntime::name).toList()
                    + " have one");
        }
        java.util.TreeMap<Integer, List<TargetRuntime>> byPriority = new java.util.TreeMap<>();
        for (TargetRuntime target : targets) {
            byPriority.computeIfAbsent(target.target().priority().get(), p -> new ArrayList<>()).add(target);
        }
        List<List<TargetRuntime>> tiers = new ArrayList<>();
        byPriority.values().forEach(tier -> tiers.add(List.copyOf(tier)));
        return List.copyOf(tiers);
    }

    /**
     * @param brokeInThisCall targets whose stream broke earlier in this call, in the order they broke (empty for a
     *                        new call); they go last
     * @return the targets in the order this call tries them; the fits computed on the way are kept in {@code fits}
     * @throws IllegalStateException when the routing strategy returned something other than its tier's candidates
     */
    List<TargetRuntime> plan(ChatRequest request, Fits fits, List<TargetRuntime> brokeInThisCall) {
        List<TargetRuntime> ordered = tiers == null ? targets : routed(request, fits);
        if (!brokeInThisCall.isEmpty()) {
            List<TargetRuntime> first = ordered;
            ordered = new ArrayList<>(targets.size());
            for (TargetRuntime target : first) {
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

    private List<TargetRuntime> routed(ChatRequest request, Fits fits) {
        List<TargetRuntime> ordered = new ArrayList<>(targets.size());
        for (List<TargetRuntime> tier : tiers) {
            if (tier.size() == 1) {
                ordered.add(tier.get(0));
                continue;
            }
            List<RoutingStrategy.Candidate> candidates = new ArrayList<>(tier.size());
            for (TargetRuntime target : tier) {
                candidates.add(new CandidateView(target, request, fits));
            }
            List<RoutingStrategy.Candidate> chosen = strategy.order(Collections.unmodifiableList(candidates));
            if (!isPermutation(chosen, candidates)) {
                throw new IllegalStateException(strategy + " must return each candidate of its tier " + names(candidates)
                        + " exactly once but returned " + (chosen == null ? null : names(chosen)));
            }
            for (RoutingStrategy.Candidate candidate : chosen) {
                ordered.add(((CandidateView) candidate).runtime());
            }
        }
        return ordered;
    }

    /** @return whether {@code chosen} holds each of {@code candidates} exactly once (by identity) */
    private static boolean isPermutation(List<RoutingStrategy.Candidate> chosen, List<RoutingStrategy.Candidate> candidates) {
        if (chosen == null || chosen.size() != candidates.size()) {
            return false;
        }
        boolean[] seen = new boolean[candidates.size()];
        for (RoutingStrategy.Candidate candidate : chosen) {
            int index = -1;
            for (int i = 0; i < candidates.size(); i++) {
                if (candidates.get(i) == candidate) {
                    index = i;
                    break;
                }
            }
            if (index < 0 || seen[index]) {
                return false;
            }
            seen[index] = true;
        }
        return true;
    }

    private static List<String> names(List<RoutingStrategy.Candidate> candidates) {
        return candidates.stream().map(c -> c == null ? "null" : c.name()).toList();
    }
}
