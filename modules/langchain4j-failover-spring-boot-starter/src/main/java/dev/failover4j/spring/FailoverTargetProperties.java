package dev.failover4j.spring;

import com.knuddels.jtokkit.api.EncodingType;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One OpenAI-compatible target, {@code langchain4j.failover.targets[i]}: what
 * {@code FailoverTarget.openAiCompatible(name)} takes. {@link #toString()} masks the API key and header values.
 *
 * @param name              required, unique: the name in events, logs, metrics and the actuator
 * @param baseUrl           the API root, e.g. https://api.deepseek.com/v1 (default https://api.openai.com/v1)
 * @param apiKey            required unless no-api-key: the key, best as a placeholder such as
 *                          ${DEEPSEEK_API_KEY}; never logged or shown
 * @param noApiKey          the server needs no key (local Ollama, vLLM): no Authorization header is sent
 * @param model             required: the model name sent to this target
 * @param contextWindow     required: the model's context window in tokens
 * @param maxOutputTokens   output tokens to reserve when a request sets none
 * @param priority          the target's tier (0 first); equal priorities share traffic. Set on every target or none
 * @param weight            its share of its tier for routing weighted, at least 1 (default 1)
 * @param price             its price per million tokens, for cost figures and routing lowest-cost
 * @param requestsPerMinute a budget of requests per minute; beyond it the target is skipped
 * @param tokensPerMinute   a budget of tokens per minute (prompt as fitted, plus reported output)
 * @param budgetInterval    how often those budgets refill, each time by the interval's share, in (0, 1m] (default
 *                          1m, FailoverTarget.DEFAULT_BUDGET_INTERVAL: the minute's whole quota at once)
 * @param tokenRatio        the starting ratio of the model's token counts to ours, 0.5 to 4 (default 1.0; learned)
 * @param safetyMarginTokens tokens kept free for tokenizer error (default 0 when exact, else 10 % of the window)
 * @param tokenizer         the jtokkit encoding to count with (default: from the model name, else o200k-base)
 * @param timeout           the HTTP read timeout (default none: the attempt timeout and deadline govern)
 * @param connectTimeout    the HTTP connect timeout (default 10s)
 * @param httpVersion       http-1-1 (default: some gateways answer the JDK's h2c upgrade with 500) or http-2
 * @param customHeaders     extra headers (e.g. Azure's api-key); their values are treated as secrets
 */
public record FailoverTargetProperties(
        String name,
        String baseUrl,
        String apiKey,
        @DefaultValue("false") boolean noApiKey,
        String model,
        Integer contextWindow,
        Integer maxOutputTokens,
        Integer priority,
        Integer weight,
        Price price,
        Integer requestsPerMinute,
        Integer tokensPerMinute,
        Duration budgetInterval,
        Double tokenRatio,
        Integer safetyMarginTokens,
        EncodingType tokenizer,
        Duration timeout,
        Duration connectTimeout,
        HttpClient.Version httpVersion,
        @DefaultValue Map<String, String> customHeaders) {

    /**
     * @param input  price of one million input (prompt) tokens, in any one currency
     * @param output price of one million output (completion) tokens
     */
    public record Price(BigDecimal input, BigDecimal output) {}

    @Override
    public String toString() {
        return "FailoverTargetProperties{name=" + name + ", baseUrl=" + safeUrl(baseUrl) + ", apiKey="
                + (apiKey == null ? (noApiKey ? "none" : "unset") : "****") + ", model=" + model + ", contextWindow="
                + contextWindow + ", priority=" + priority + ", weight=" + weight + ", customHeaders="
                + customHeaders.keySet() + "}";
    }

    /** A URL without user info or query, either of which may hold a credential. */
    static String safeUrl(String url) {
        if (url == null) {
            return null;
        }
        String result = url.replaceFirst("(?<=://)[^/@]*@", "****@");
        int query = result.indexOf('?');
        return query < 0 ? result : result.substring(0, query) + "?****";
    }
}
