package dev.failover4j.drill;

import dev.failover4j.FailoverTarget;
import dev.failover4j.OpenAiCompatibleTargetBuilder;
import dev.failover4j.testkit.ChaosEndpoint;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.ChaosProxy;
import dev.failover4j.testkit.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * The drill's running providers, in priority order: for each {@link ProviderSpec}, the chaos endpoint
 * faults are injected into (a {@code ChaosOpenAiServer}, or a {@code ChaosProxy} in front of a real
 * endpoint) and the {@link FailoverTarget} pointing at it. Closing closes every endpoint.
 */
public final class Providers implements AutoCloseable {

    /** One started provider. */
    public record Provider(ProviderSpec spec, ChaosEndpoint endpoint, FailoverTarget target) {
        public String name() {
            return spec.name();
        }
    }

    private final List<Provider> providers;

    private Providers(List<Provider> providers) {
        this.providers = List.copyOf(providers);
    }

    /**
     * Starts an endpoint per spec (random 127.0.0.1 ports) and builds its target.
     *
     * @throws IllegalArgumentException when a spec makes an invalid target (e.g. a placeholder API key)
     */
    public static Providers start(List<ProviderSpec> specs, long seed) {
        return start(specs, seed, false);
    }

    /**
     * @param sharedFirstTier whether the first two providers share tier 0 (for a routing strategy) and the others
     *                        follow one per tier; otherwise the list order is the failover order
     */
    public static Providers start(List<ProviderSpec> specs, long seed, boolean sharedFirstTier) {
        List<Provider> started = new ArrayList<>();
        try {
            for (ProviderSpec spec : specs) {
                ChaosEndpoint endpoint = endpointFor(spec, seed + started.size()).start();
                Integer priority = sharedFirstTier ? Math.max(0, started.size() - 1) : null;
                started.add(new Provider(spec, endpoint, targetFor(spec, endpoint, priority)));
            }
            return new Providers(started);
        } catch (RuntimeException e) {
            started.forEach(p -> p.endpoint().close());
            throw e;
        }
    }

    public List<Provider> all() {
        return providers;
    }

    public List<FailoverTarget> targets() {
        return providers.stream().map(Provider::target).toList();
    }

    public List<String> names() {
        return providers.stream().map(Provider::name).toList();
    }

    /** @throws IllegalArgumentException when no provider has that name */
    public Provider get(String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no provider named '" + name + "'"));
    }

    public boolean anyReal() {
        return providers.stream().anyMatch(p -> !p.spec().isSimulated());
    }

    @Override
    public void close() {
        providers.forEach(p -> p.endpoint().close());
    }

    private static ChaosEndpoint endpointFor(ProviderSpec spec, long seed) {
        if (!spec.isSimulated()) {
            return ChaosProxy.builder().name(spec.name()).upstream(spec.baseUrl()).randomSeed(seed).build();
        }
        // Three quarters of the latency is fixed; DrillScript adds the rest as a seeded log-normal jitter.
        return ChaosOpenAiServer.builder()
                .name(spec.name())
                .modelName(spec.modelName())
                .contextWindowTokens(spec.contextWindowTokens())
                .baseLatency(spec.latency().multipliedBy(3).dividedBy(4))
                .reply(request -> Reply.text(Conversations.answer(spec.name(), request.lastUserText())))
                .randomSeed(seed)
                .build();
    }

    private static FailoverTarget targetFor(ProviderSpec spec, ChaosEndpoint endpoint, Integer priority) {
        OpenAiCompatibleTargetBuilder target = FailoverTarget.openAiCompatible(spec.name())
                .baseUrl(endpoint.baseUrl())
                .modelName(spec.modelName())
                .contextWindowTokens(spec.contextWindowTokens())
                .price(spec.price());
        if (priority != null) {
            target.priority(priority);
        }
        String key = spec.isSimulated() ? "sk-drill-" + spec.name() + "-0000" : spec.apiKey();
        // A real endpoint without FAILOVER_<NAME>_API_KEY is a local server that needs none (Ollama, vLLM).
        return (key == null ? target.noApiKey() : target.apiKey(key)).build();
    }
}
