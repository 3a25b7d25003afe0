package dev.failover4j;

import static dev.failover4j.internal.Validation.requireHttpUrl;
import static dev.failover4j.internal.Validation.requireName;
import static dev.failover4j.internal.Validation.requirePositive;
import static dev.failover4j.internal.Validation.requireSendableHeader;
import static dev.failover4j.internal.Validation.requireUsableApiKey;
import static dev.failover4j.internal.Validation.withoutQuery;

import com.knuddels.jtokkit.api.EncodingType;
import dev.failover4j.fit.Tokenizer;
import dev.failover4j.internal.FailoverHttpClientBuilder;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builds a {@link FailoverTarget} for an OpenAI-compatible endpoint (OpenAI, DeepSeek, Gemini or
 * Claude behind compatible gateways, vLLM, Ollama, LiteLLM, Azure-style gateways...).
 *
 * <p>It creates the {@link OpenAiChatModel} and {@link OpenAiStreamingChatModel} itself, with
 * {@code maxRetries(0)} (the failover policies own retries; LangChain4j's own would multiply them)
 * and an HTTP client that keeps response headers so that {@code Retry-After} is honoured. The API
 * key comes from you (read it from the environment or configuration) and is required unless you call
 * {@link #noApiKey()}; it is checked at {@link #build()} (missing, blank and placeholder keys such as
 * {@code YOUR_API_KEY}, and keys with control characters, white space or non-ASCII characters are
 * rejected) and is never shown by {@code toString()}, events, logs or exception messages. Custom
 * headers, the base URL and the token budget are checked at {@link #build()} too, so that a setting
 * that could never work fails there and not on every call. Not thread-safe.
 */
public final class OpenAiCompatibleTargetBuilder {

    /** OpenAI's endpoint, the default base URL. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    /** HTTP connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private String baseUrl = DEFAULT_BASE_URL;
    private String apiKey;
    private boolean noApiKey;
    private String modelName;
    private Integer contextWindowTokens;
    private Integer maxOutputTokens;
    private TokenPrice price;
    private Duration timeout;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private HttpClient.Version httpVersion = HttpClient.Version.HTTP_1_1;
    private final Map<String, String> customHeaders = new LinkedHashMap<>();
    private Tokenizer tokenizer;
    private EncodingType encoding;
    private TokenCountEstimator estimator;
    private Integer safetyMarginTokens;
    private Double tokenRatio;
    private Integer priority;
    private Integer weight;
    private Integer requestsPerMinute;
    private Integer tokensPerMinute;
    private Duration budgetInterval;
    private HealthCheck healthCheck;
    private Consumer<OpenAiChatModel.OpenAiChatModelBuilder> chatCustomizer = b -> {};
    private Consumer<OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder> streamingCustomizer = b -> {};
    private Consumer<HttpClient.Builder> httpClientCustomizer; // null: the shared JDK client for these settings

    OpenAiCompatibleTargetBuilder(String name) {
        this.name = requireName(name);
    }

    /** The API root, e.g. {@code https://api.deepseek.com/v1}; default {@value #DEFAULT_BASE_URL}. */
    public OpenAiCompatibleTargetBuilder baseUrl(String baseUrl) { this.baseUrl = baseUrl; return this; }

    /**
     * Required unless {@link #noApiKey()}: the API key, sent as {@code Authorization: Bearer ...}. A null key
     * (e.g. {@code System.getenv("X")} with {@code X} unset) fails {@link #build()}, naming this target; so do a
     * blank or placeholder key and one with control characters, white space or non-ASCII characters.
     */
    public OpenAiCompatibleTargetBuilder apiKey(String apiKey) { this.apiKey = apiKey; return this; }

    /**
     * Declares that this server needs no API key (local Ollama, vLLM, a sidecar): no {@code Authorization}
     * header is sent. Calling it together with a non-null {@link #apiKey(String)} fails {@link #build()}: the
     * two contradict each other, and guessing which one was meant would either drop a key or send one.
     */
    public OpenAiCompatibleTargetBuilder noApiKey() { this.noApiKey = true; return this; }

    /** Required: the model name sent to this endpoint (replaces the request's). */
    public OpenAiCompatibleTargetBuilder modelName(String modelName) { this.modelName = modelName; return this; }

    /** Required: the model's context window in tokens. */
    public OpenAiCompatibleTargetBuilder contextWindowTokens(int tokens) { this.contextWindowTokens = tokens; return this; }

    /** Output tokens to reserve when a request sets none. */
    public OpenAiCompatibleTargetBuilder maxOutputTokens(int tokens) { this.maxOutputTokens = tokens; return this; }

    public OpenAiCompatibleTargetBuilder price(TokenPrice price) { this.price = price; return this; }

    /**
     * The HTTP client's read timeout. Default: none, so the failover model's attempt timeout and
     * deadline govern (they interrupt the call).
     */
    public OpenAiCompatibleTargetBuilder timeout(Duration timeout) { this.timeout = timeout; return this; }

    /** Default {@link #DEFAULT_CONNECT_TIMEOUT}. */
    public OpenAiCompatibleTargetBuilder connectTimeout(Duration timeout) { this.connectTimeout = timeout; return this; }

    /** Default HTTP/1.1: some gateways answer the JDK's h2c upgrade offer on plain http with 500. */
    public OpenAiCompatibleTargetBuilder httpVersion(HttpClient.Version version) { this.httpVersion = version; return this; }

    /** How to count this model's tokens; default: {@link Tokenizer#forModelName} of the model name. */
    public OpenAiCompatibleTargetBuilder tokenizer(Tokenizer tokenizer) { this.tokenizer = tokenizer; return this; }

    /** Counts with this jtokkit encoding (exact for OpenAI models that use it). */
    public OpenAiCompatibleTargetBuilder tokenizer(EncodingType encoding) { this.encoding = encoding; return this; }

    /** Counts with any LangChain4j estimator (treated as an approximation). */
    public OpenAiCompatibleTargetBuilder tokenCountEstimator(TokenCountEstimator estimator) { this.estimator = estimator; return this; }

    /** Tokens to keep free for tokenizer error; default 0 when exact, else 10 % of the window. */
    public OpenAiCompatibleTargetBuilder safetyMarginTokens(int tokens) { this.safetyMarginTokens = tokens; return this; }

    /**
     * The starting ratio of the model's token counts to ours (e.g. 1.6 for a Llama-style tokenizer on Vietnamese
     * counted with o200k), in [0.5, 4]; default 1.0. The group learns the real one from usage and stated counts.
     */
    public OpenAiCompatibleTargetBuilder tokenRatio(double ratio) { this.tokenRatio = ratio; return this; }

    /** The target's tier (0 = first); equal priorities share traffic. Set on every target of a group or none. */
    public OpenAiCompatibleTargetBuilder priority(int priority) { this.priority = priority; return this; }

    /** Its share of traffic within its tier for {@link RoutingStrategy#weighted()}, at least 1; default 1. */
    public OpenAiCompatibleTargetBuilder weight(int weight) { this.weight = weight; return this; }

    /** A budget of requests per minute: beyond it the target is skipped (BUDGET_EXHAUSTED) without a network call. */
    public OpenAiCompatibleTargetBuilder requestsPerMinute(int requests) { this.requestsPerMinute = requests; return this; }

    /** A budget of tokens per minute (the prompt as fitted, plus the output the provider reports). */
    public OpenAiCompatibleTargetBuilder tokensPerMinute(int tokens) { this.tokensPerMinute = tokens; return this; }

    /** How {@link Probes} check the target; default {@code GET {baseUrl}/models} with its key and headers (no tokens billed). */
    public OpenAiCompatibleTargetBuilder healthCheck(HealthCheck check) { this.healthCheck = check; return this; }

    /** How often the budgets refill, each time by the interval's share; see {@link FailoverTarget.Builder#budgetInterval}. */
    public OpenAiCompatibleTargetBuilder budgetInterval(Duration interval) { this.budgetInterval = interval; return this; }

    /**
     * Extra headers (e.g. Azure's {@code api-key}); their values are treated as secrets. {@link #build()}
     * rejects, naming the header but never its value: names that are not RFC 9110 tokens, the headers the JDK
     * client refuses to send ({@code Connection}, {@code Content-Length}, {@code Expect}, {@code Host},
     * {@code Upgrade}, unless allowed by the system property {@code jdk.httpclient.allowRestrictedHeaders}),
     * and values with CR, LF or other control characters (a tab is allowed) or characters beyond ISO-8859-1.
     *
     * @throws NullPointerException when the name or value is null
     */
    public OpenAiCompatibleTargetBuilder customHeader(String name, String value) {
        customHeaders.put(Objects.requireNonNull(name, "header name"), Objects.requireNonNull(value, "header value"));
        return this;
    }

    /**
     * Sets any other {@code OpenAiChatModel} option (temperature, strict tools, supported
     * capabilities...), so a target keeps the settings of an {@code OpenAiChatModel.builder()} you already
     * have while failover owns retries. Base URL, key, model name, HTTP client and {@code maxRetries(0)} are
     * applied after it and win: set proxy, TLS and the like with {@link #customizeHttpClient} instead of
     * replacing the HTTP client here (a replaced client would lose {@code Retry-After}).
     */
    public OpenAiCompatibleTargetBuilder customizeChatModel(Consumer<OpenAiChatModel.OpenAiChatModelBuilder> customizer) {
        this.chatCustomizer = Objects.requireNonNull(customizer, "customizer");
        return this;
    }

    /** As {@link #customizeChatModel}, for the streaming model. */
    public OpenAiCompatibleTargetBuilder customizeStreamingChatModel(
            Consumer<OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder> customizer) {
        this.streamingCustomizer = Objects.requireNonNull(customizer, "customizer");
        return this;
    }

    /**
     * Configures the JDK {@link HttpClient} that both the chat and the streaming model use: a proxy
     * ({@code proxy(ProxySelector.of(...))}), an {@code SSLContext} for a private CA or mutual TLS, an
     * {@code Authenticator}, an executor, and so on. It runs during {@link #build()} on a fresh builder for
     * each of the two clients (so twice; keep it free of side effects), after this target's
     * {@link #httpVersion} and {@link #connectTimeout} are set, so what it sets wins. The client it builds is
     * still wrapped by the one that keeps {@code Retry-After}. Default: nothing.
     *
     * @throws NullPointerException when {@code customizer} is null
     */
    public OpenAiCompatibleTargetBuilder customizeHttpClient(Consumer<HttpClient.Builder> customizer) {
        this.httpClientCustomizer = Objects.requireNonNull(customizer, "customizer");
        return this;
    }

    /** @throws IllegalArgumentException naming the bad or missing value (never a key or a header value) */
    public FailoverTarget build() {
        String url = requireHttpUrl(baseUrl, name);
        String key = requireUsableApiKey(apiKey, noApiKey, name);
        customHeaders.forEach((header, value) -> requireSendableHeader(header, value, name));
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("modelName of target '" + name + "' is required but was "
                    + (modelName == null ? "null" : "'" + modelName + "'"));
        }
        if (timeout != null) {
            requirePositive(timeout, "timeout of target '" + name + "'");
        }
        requirePositive(connectTimeout, "connectTimeout of target '" + name + "'");
        Objects.requireNonNull(httpVersion, "httpVersion");

        OpenAiChatModel.OpenAiChatModelBuilder chat = OpenAiChatModel.builder();
        chatCustomizer.accept(chat);
        chat.baseUrl(url).apiKey(key).modelName(modelName).maxRetries(0)
                .httpClientBuilder(httpClientBuilder()).customHeaders(Map.copyOf(customHeaders));
        if (timeout != null) {
            chat.timeout(timeout);
        }

        OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder streaming = OpenAiStreamingChatModel.builder();
        streamingCustomizer.accept(streaming);
        streaming.baseUrl(url).apiKey(key).modelName(modelName)
                .httpClientBuilder(httpClientBuilder()).customHeaders(Map.copyOf(customHeaders));
        if (timeout != null) {
            streaming.timeout(timeout);
        }

        List<String> secrets = new ArrayList<>(customHeaders.values());
        if (key != null) {
            secrets.add(key);
        }
        return new FailoverTarget(name, chat.build(), streaming.build(), modelName, contextWindowTokens,
                maxOutputTokens, price, withoutQuery(url), secrets,
                FailoverTarget.tokenizerOf(tokenizer, encoding, estimator), safetyMarginTokens, tokenRatio, priority, weight, requestsPerMinute,
                tokensPerMinute, budgetInterval, healthCheck != null ? healthCheck : modelsList(url, key));
    }

    /**
     * The default check: {@code GET {baseUrl}/models}, as the chat model would send it (key, headers, HTTP client). A
     * listing that names models but not this one fails like a 404, so a target cooling down after "model not found"
     * is not let back by a healthy endpoint.
     */
    private HealthCheck modelsList(String url, String key) {
        java.util.regex.Pattern listed = java.util.regex.Pattern.compile(
                "\"id\"\\s*:\\s*\"" + java.util.regex.Pattern.quote(modelName) + "\"");
        dev.langchain4j.http.client.HttpClient http = httpClientBuilder().readTimeout(timeout).build();
        Map<String, String> headers = new java.util.LinkedHashMap<>(customHeaders);
        if (key != null) {
            headers.put("Authorization", "Bearer " + key);
        }
        dev.langchain4j.http.client.HttpRequest request = dev.langchain4j.http.client.HttpRequest.builder()
                .method(dev.langchain4j.http.client.HttpMethod.GET).url(url, "models").addHeaders(headers).build();
        String model = modelName;
        return () -> {
            String body = http.execute(request).body();
            if (body != null && body.contains("\"data\"") && body.contains("\"id\"") && !listed.matcher(body).find()) {
                throw new dev.langchain4j.exception.HttpException(404, "model '" + model + "' is not listed by GET /models");
            }
        };
    }

    private FailoverHttpClientBuilder httpClientBuilder() {
        return new FailoverHttpClientBuilder().connectTimeout(connectTimeout).version(httpVersion)
                .customizer(httpClientCustomizer);
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleTargetBuilder{name=" + name + ", baseUrl=" + withoutQuery(baseUrl) + ", model=" + modelName
                + ", apiKey=" + (apiKey != null ? "****" : noApiKey ? "none" : "unset") + "}";
    }
}
