package dev.failover4j.drill;

import dev.failover4j.TokenPrice;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One provider of the drill: simulated by a {@code ChaosOpenAiServer} (no {@code baseUrl}), or a real
 * OpenAI-compatible endpoint behind a {@code ChaosProxy}. {@link #toString()} never shows the key.
 *
 * @param name                target name: {@code primary}, {@code secondary} or {@code budget}
 * @param modelName           model sent to the provider (an OpenAI name keeps the tokenizer exact)
 * @param contextWindowTokens the provider's context window
 * @param latency             the simulated provider's median latency (ignored for real endpoints)
 * @param price               price per million input/output tokens, for the cost estimate
 * @param baseUrl             a real endpoint's base URL, or null for a simulated provider
 * @param apiKey              a real endpoint's key, or null
 */
public record ProviderSpec(
        String name, String modelName, int contextWindowTokens, Duration latency, TokenPrice price, String baseUrl,
        String apiKey) {

    public ProviderSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(price, "price");
        if (contextWindowTokens <= 0) {
            throw new IllegalArgumentException("context window of '" + name + "' must be > 0 but was " + contextWindowTokens);
        }
    }

    /** The three simulated providers: a fast, large, pricey primary; a cheaper secondary; a small budget model. */
    public static List<ProviderSpec> simulated() {
        return List.of(
                simulated("primary", 128_000, 80, TokenPrice.perMillion("2.50", "10.00")),
                simulated("secondary", 64_000, 150, TokenPrice.perMillion("0.27", "1.10")),
                simulated("budget", 8_000, 250, TokenPrice.perMillion("0.10", "0.40")));
    }

    /**
     * The simulated providers, each replaced by a real endpoint when {@code FAILOVER_<NAME>_BASE_URL} is set;
     * {@code _API_KEY}, {@code _MODEL}, {@code _WINDOW} and {@code _PRICE} (e.g. {@code 0.27/1.10}) refine it.
     *
     * @throws IllegalArgumentException naming the variable with a bad value (never a key's value)
     */
    public static List<ProviderSpec> fromEnvironment(Map<String, String> env) {
        return simulated().stream().map(spec -> spec.withEnvironment(env)).toList();
    }

    /** @return whether a {@code ChaosOpenAiServer} plays this provider */
    public boolean isSimulated() {
        return baseUrl == null;
    }

    private ProviderSpec withEnvironment(Map<String, String> env) {
        String prefix = "FAILOVER_" + name.toUpperCase(Locale.ROOT) + "_";
        String url = blankToNull(env.get(prefix + "BASE_URL"));
        if (url == null) {
            return this;
        }
        String model = Objects.requireNonNullElse(blankToNull(env.get(prefix + "MODEL")), modelName);
        int window = contextWindowTokens;
        String windowText = blankToNull(env.get(prefix + "WINDOW"));
        if (windowText != null) {
            try {
                window = Integer.parseInt(windowText.replace("_", "").trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(prefix + "WINDOW must be a number of tokens but was '" + windowText + "'");
            }
        }
        TokenPrice tokenPrice = price;
        String priceText = blankToNull(env.get(prefix + "PRICE"));
        if (priceText != null) {
            String[] parts = priceText.split("/");
            try {
                tokenPrice = TokenPrice.perMillion(parts[0].trim(), parts[1].trim());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(prefix + "PRICE must look like 0.27/1.10 (input/output per million "
                        + "tokens) but was '" + priceText + "'");
            }
        }
        return new ProviderSpec(name, model, window, latency, tokenPrice, url, blankToNull(env.get(prefix + "API_KEY")));
    }

    private static ProviderSpec simulated(String name, int window, long latencyMillis, TokenPrice price) {
        return new ProviderSpec(name, "gpt-4o-mini", window, Duration.ofMillis(latencyMillis), price, null, null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return name + " (" + modelName + ", " + contextWindowTokens + " tokens, "
                + (isSimulated() ? "simulated, ~" + latency.toMillis() + " ms" : baseUrl + ", key " + (apiKey == null ? "unset" : "****"))
                + ", " + price.inputPerMillion() + "/" + price.outputPerMillion() + " per M tokens)";
    }
}
