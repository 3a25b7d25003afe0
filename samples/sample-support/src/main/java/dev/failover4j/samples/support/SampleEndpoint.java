package dev.failover4j.samples.support;

import dev.failover4j.FailoverTarget;
import dev.failover4j.OpenAiCompatibleTargetBuilder;
import dev.failover4j.testkit.ChaosEndpoint;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.ChaosProxy;
import dev.failover4j.testkit.RecordedChatRequest;
import dev.failover4j.testkit.Reply;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One model the sample talks to, with a fault-injection point in front of it so the outage can be
 * staged either way:
 *
 * <ul>
 *   <li>{@code FAILOVER_<NAME>_BASE_URL} unset: an in-process {@link ChaosOpenAiServer} answering with
 *       the sample's scripted replies (no API key, no network).</li>
 *   <li>set: a {@link ChaosProxy} in front of that real OpenAI-compatible endpoint, with
 *       {@code FAILOVER_<NAME>_API_KEY} (leave it unset for a server that needs none, such as a local
 *       Ollama or vLLM: the target is then built with {@code noApiKey()}), {@code FAILOVER_<NAME>_MODEL} (required) and
 *       {@code FAILOVER_<NAME>_WINDOW} (context window tokens, else the sample's default).</li>
 * </ul>
 *
 * Faults go to {@link #chaos()}; the failover target is built from {@link #target()}.
 */
public final class SampleEndpoint implements AutoCloseable {

    private static final String CHAOS_MODEL = ChaosOpenAiServer.DEFAULT_MODEL_NAME;

    private final String name;
    private final ChaosEndpoint chaos;
    private final boolean live;
    private final String apiKey;
    private final String model;
    private final int window;

    private SampleEndpoint(String name, ChaosEndpoint chaos, boolean live, String apiKey, String model, int window) {
        this.name = name;
        this.chaos = chaos;
        this.live = live;
        this.apiKey = apiKey;
        this.model = model;
        this.window = window;
    }

    /** Starts the endpoint named {@code name}, configured from {@code env} (use {@code System.getenv()}). */
    public static SampleEndpoint start(String name, int defaultWindow, Function<RecordedChatRequest, Reply> replies,
            Map<String, String> env) {
        String prefix = "FAILOVER_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
        String baseUrl = env.get(prefix + "BASE_URL");
        int window = env.containsKey(prefix + "WINDOW") ? Integer.parseInt(env.get(prefix + "WINDOW")) : defaultWindow;
        if (baseUrl == null || baseUrl.isBlank()) {
            ChaosOpenAiServer server = ChaosOpenAiServer.builder().name(name).contextWindowTokens(window)
                    .reply(replies).build().start();
            return new SampleEndpoint(name, server, false, "sk-sample-" + name + "-local", CHAOS_MODEL, window);
        }
        String model = env.get(prefix + "MODEL");
        if (model == null || model.isBlank()) {
            throw new IllegalStateException(prefix + "MODEL is required when " + prefix + "BASE_URL is set");
        }
        ChaosProxy proxy = ChaosProxy.builder().name(name).upstream(baseUrl).build().start();
        return new SampleEndpoint(name, proxy, true, env.get(prefix + "API_KEY"), model, window);
    }

    public String name() {
        return name;
    }

    /** The model name the target is sent (the chaos server's, or {@code FAILOVER_<NAME>_MODEL}). */
    public String modelName() {
        return model;
    }

    /** The context window in tokens ({@code FAILOVER_<NAME>_WINDOW}, else the sample's default). */
    public int contextWindowTokens() {
        return window;
    }

    /**
     * The API key the target is built with, for configuration that takes it as a value (the Spring Boot sample's
     * properties); null when the real endpoint was given none. Never print it.
     */
    public String apiKey() {
        return apiKey;
    }

    /** Where to inject faults: the chaos server, or the proxy in front of the real endpoint. */
    public ChaosEndpoint chaos() {
        return chaos;
    }

    /** Whether a real endpoint answers (scripted replies are not used then). */
    public boolean live() {
        return live;
    }

    /**
     * A target builder with base URL, key (or {@code noApiKey()} when a real endpoint was given no key), model
     * and window filled in; add options, then {@code build()}.
     */
    public OpenAiCompatibleTargetBuilder target() {
        OpenAiCompatibleTargetBuilder target = FailoverTarget.openAiCompatible(name).baseUrl(chaos.baseUrl())
                .modelName(model).contextWindowTokens(window);
        return apiKey == null ? target.noApiKey() : target.apiKey(apiKey);
    }

    @Override
    public void close() {
        chaos.close();
    }

    @Override
    public String toString() {
        return name + (live ? " (real endpoint via chaos proxy, " : " (chaos server, ") + model + ", window " + window + ")";
    }
}
