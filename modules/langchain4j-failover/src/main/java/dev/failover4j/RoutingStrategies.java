package dev.failover4j;

import dev.failover4j.RoutingStrategy.Candidate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** The built-in {@link RoutingStrategy}s. State is per instance and per tier (keyed by the tier's first name). */
final class RoutingStrategies {

    private RoutingStrategies() {}

    static RoutingStrategy roundRobin() {
        Map<String, AtomicLong> turns = new ConcurrentHashMap<>();
        return new Named("roundRobin", tier -> {
            int n = tier.size();
            int first = (int) Math.floorMod(turns.computeIfAbsent(tier.get(0).name(), k -> new AtomicLong()).getAndIncrement(), (long) n);
            List<Candidate> ordered = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ordered.add(tier.get((first + i) % n));
            }
            return ordered;
        });
    }

    static RoutingStrategy weighted() {
        Map<String, long[]> currents = new ConcurrentHashMap<>();
        return new Named("weighted", tier -> {
            int n = tier.size();
            long[] current = currents.computeIfAbsent(tier.get(0).name(), k -> new long[n]);
            int chosen = -1;
            synchronized (current) {
                long total = 0;
                for (int i = 0; i < n; i++) {
                    int weight = tier.get(i).weight();
                    total += weight;
                    current[i] += weight;
                    if (weight > 0 && (chosen < 0 || current[i] > current[chosen])) {
                        chosen = i;
                    }
                }
                if (chosen >= 0) {
                    current[chosen] -= total;
                }
            }
            List<Candidate> ordered = new ArrayList<>(tier);
            ordered.sort(Comparator.comparingInt(Candidate::weight).reversed()); // the fallback order: heavier first
            if (chosen >= 0) {
                ordered.remove(tier.get(chosen));
                ordered.add(0, tier.get(chosen));
            }
            return ordered;
        });
    }

    static RoutingStrategy leastLatency(double explorationRate) {
        if (!(explorationRate >= 0 && explorationRate <= 1)) {
            throw new IllegalArgumentException("explorationRate must be in [0, 1] but was " + explorationRate);
        }
        return new Named("leastLatency(" + explorationRate + ")", tier -> {
            // each latency read once (an insertion sort of a handful: no Duration per comparison)
            int n = tier.size();
            long[] nanos = new long[n];
            List<Candidate> ordered = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long latency = tier.get(i).ewmaLatency().toNanos();
                int at = i;
                while (at > 0 && nanos[at - 1] > latency) {
                    nanos[at] = nanos[at - 1];
                    at--;
                }
                nanos[at] = latency;
                ordered.add(at, tier.get(i));
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (explorationRate > 0 && random.nextDouble() < explorationRate) {
                ordered.add(0, ordered.remove(1 + random.nextInt(ordered.size() - 1)));
            }
            return ordered;
        });
    }

    static RoutingStrategy lowestCost() {
        return new Named("lowestCost", tier -> {
            // each cost computed once, as a double (a comparator would price both sides of every comparison); no price last
            int n = tier.size();
            double[] costs = new double[n];
            List<Candidate> ordered = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                double cost = tier.get(i).estimatedCostValue();
                int at = i;
                while (at > 0 && cheaper(cost, costs[at - 1])) {
                    costs[at] = costs[at - 1];
                    at--;
                }
                costs[at] = cost;
                ordered.add(at, tier.get(i));
            }
            return ordered;
        });
    }

    private static boolean cheaper(double cost, double than) {
        return !Double.isNaN(cost) && (Double.isNaN(than) || cost < than);
    }

    /** A strategy with a name for messages and toString. */
    private record Named(String name, RoutingStrategy strategy) implements RoutingStrategy {
        @Override
        public List<Candidate> order(List<Candidate> tier) {
            return strategy.order(tier);
        }

        @Override
        public String toString() {
            return "RoutingStrategy." + name + "()";
        }
    }
}
