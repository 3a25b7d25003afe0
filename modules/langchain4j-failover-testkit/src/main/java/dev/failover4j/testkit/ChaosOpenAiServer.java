package dev.failover4j.testkit;

import com.knuddels.jtokkit.api.EncodingType;
import dev.failover4j.testkit.internal.ChaosEngine;
import dev.failover4j.testkit.internal.OpenAiResponder;
import dev.failover4j.testkit.internal.Tokens;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A fault-injecting OpenAI-compatible server on a random 127.0.0.1 port, for tests and outage drills.
 *
 * <p>Endpoints: {@code POST /v1/chat/completions} (plain and {@code "stream": true} SSE, text or tool
 * calls, {@code usage} counted by OpenAI's chat rule with o200k or the
 * {@linkplain Builder#tokenCounting(EncodingType) chosen counting}, {@code max_tokens} /
 * {@code max_completion_tokens} honoured with {@code finish_reason: "length"}) and {@code GET /v1/models}.
 * A prompt over the {@linkplain Builder#contextWindowTokens(int) context window} (or prompt plus
 * {@code max_tokens}) gets OpenAI's 400 {@code context_length_exceeded}, or
 * {@linkplain Builder#contextLengthWording(ContextLengthWording) another provider's wording}.
 *
 * <pre>{@code
 * try (ChaosOpenAiServer server = ChaosOpenAiServer.builder().name("primary").build().start()) {
 *     ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key")
 *             .modelName("gpt-4o-mini").maxRetries(0).build();
 *     server.inject(Fault.httpStatus(503).withProbability(0.3));
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: faults, scripts and records may be changed and read from any thread while requests
 * are served. Run from a shell with {@link #main(String[])}.
 */
public final class ChaosOpenAiServer extends EngineBackedEndpoint {

    /** Default {@link Builder#name(String)}. */
    public static final String DEFAULT_NAME = "chaos";
    /** Default {@link Builder#modelName(String)}. */
    public static final String DEFAULT_MODEL_NAME = "gpt-4o-mini";
    /** Default {@link Builder#contextWindowTokens(int)}: gpt-4o-mini's window. */
    public static final int DEFAULT_CONTEXT_WINDOW_TOKENS = 128_000;
    /** Default {@link Builder#tokenCounting(EncodingType)}: what gpt-4o and later count with. */
    public static final EncodingType DEFAULT_TOKEN_COUNTING = EncodingType.O200K_BASE;
    /** Default {@link Builder#contextLengthWording(ContextLengthWording)}: api.openai.com's. */
    public static final ContextLengthWording DEFAULT_CONTEXT_LENGTH_WORDING = ContextLengthWording.OPENAI;

    private final String name;
    private final String modelName;
    private final int contextWindowTokens;
    private final int port;
    private final OpenAiResponder responder;

    private ChaosOpenAiServer(Builder b) {
        super(new ChaosEngine(b.name, b.modelName, b.clock, b.randomSeed, b.baseLatency, b.tokens,
                b.contextLengthWording));
        this.name = b.name;
        this.modelName = b.modelName;
        this.contextWindowTokens = b.contextWindowTokens;
        this.port = b.port;
        Function<RecordedChatRequest, Reply> replies = b.replyFunction != null ? b.replyFunction
                : request -> OpenAiResponder.defaultReply(b.name, request);
        this.responder = new OpenAiResponder(b.name, b.modelName, b.contextWindowTokens, replies,
                b.streamChunkInterval, engine);
        engine.responder(responder);
    }

    /** A new builder with the defaults described on its methods. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChaosOpenAiServer start() {
        engine.start(port);
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    /** The model named in {@code GET /v1/models} and in replies to requests that name none. */
    public String modelName() {
        return modelName;
    }

    /** The context window enforced on every chat request. */
    public int contextWindowTokens() {
        return contextWindowTokens;
    }

    @Override
    public String baseUrl() {
        return engine.origin() + "/v1";
    }

    /**
     * Answers the next chat request with {@code reply} (before the reply function). A tool-call reply
     * waits for the next request that offers tools; requests without tools get text meanwhile.
     */
    public void enqueueReply(Reply reply) {
        responder.enqueue(Objects.requireNonNull(reply, "reply"));
    }

    /** Shorthand for {@code enqueueReply(Reply.toolCall(toolName, argumentsJson))}. */
    public void replyWithToolCall(String toolName, String argumentsJson) {
        enqueueReply(Reply.toolCall(toolName, argumentsJson));
    }

    @Override
    public void reset() {
        engine.reset();
        responder.clearScript();
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "ChaosOpenAiServer[" + name + (engine.isStarted() ? " " + baseUrl() : " (not started)") + "]";
    }

    /**
     * Runs a server until the process is killed:
     * {@code java -cp ... dev.failover4j.testkit.ChaosOpenAiServer --name primary --port 0}.
     * Options: {@code --name}, {@code --port} (0 = random), {@code --model}, {@code --context-window},
     * {@code --token-counting} ({@code o200k} (default) or {@code cl100k}; any jtokkit encoding name such as
     * {@code cl100k_base} works too), {@code --latency-ms}, {@code --seed}. Prints the base URL on the first
     * line of stdout.
     */
    public static void main(String[] args) throws InterruptedException {
        Builder b = builder();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--name" -> b.name(require(args[i], value));
                case "--port" -> b.port(Integer.parseInt(require(args[i], value)));
                case "--model" -> b.modelName(require(args[i], value));
                case "--context-window" -> b.contextWindowTokens(Integer.parseInt(require(args[i], value)));
                case "--token-counting" -> b.tokenCounting(encodingType(require(args[i], value)));
                case "--latency-ms" -> b.baseLatency(Duration.ofMillis(Long.parseLong(require(args[i], value))));
                case "--seed" -> b.randomSeed(Long.parseLong(require(args[i], value)));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; known: --name --port "
                        + "--model --context-window --token-counting --latency-ms --seed");
            }
            i++;
        }
        ChaosOpenAiServer server = b.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "chaos-shutdown"));
        System.out.println(server.baseUrl());
        System.out.flush();
        stopped.await();
    }

    /** {@code cl100k} and {@code o200k}, or a jtokkit encoding name. */
    private static EncodingType encodingType(String value) {
        return EncodingType.fromName(value)
                .or(() -> EncodingType.fromName(value + "_base"))
                .orElseThrow(() -> new IllegalArgumentException("--token-counting must be cl100k or o200k but was "
                        + value));
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    /** Builds a {@link ChaosOpenAiServer}. Not thread-safe; the server copies everything at {@link #build()}. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private String modelName = DEFAULT_MODEL_NAME;
        private int contextWindowTokens = DEFAULT_CONTEXT_WINDOW_TOKENS;
        private Tokens tokens = Tokens.encoding(DEFAULT_TOKEN_COUNTING);
        private ContextLengthWording contextLengthWording = DEFAULT_CONTEXT_LENGTH_WORDING;
        private Function<RecordedChatRequest, Reply> replyFunction;
        private Duration baseLatency = Duration.ZERO;
        private Duration streamChunkInterval = Duration.ZERO;
        private Clock clock = Clock.systemUTC();
        private long randomSeed;
        private int port;

        private Builder() {
        }

        /** Name used in default replies and completion ids, e.g. "primary". Default {@code "chaos"}. */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** Model listed by {@code GET /v1/models} and used when a request names none. Default {@code gpt-4o-mini}. */
        public Builder modelName(String modelName) {
            Objects.requireNonNull(modelName, "modelName");
            if (modelName.isBlank()) {
                throw new IllegalArgumentException("modelName must not be blank");
            }
            this.modelName = modelName;
            return this;
        }

        /** Context window enforced on every chat request. Default 128,000. */
        public Builder contextWindowTokens(int tokens) {
            if (tokens <= 0) {
                throw new IllegalArgumentException("contextWindowTokens must be > 0 but was " + tokens);
            }
            this.contextWindowTokens = tokens;
            return this;
        }

        /**
         * Counts tokens with this jtokkit encoding, by OpenAI's chat rule (3 per message, +1 per name, +3 reply
         * priming, tool calls and the {@code tools} JSON): {@code usage.prompt_tokens} and
         * {@code completion_tokens}, {@link RecordedChatRequest#promptTokens()}, the
         * {@linkplain #contextWindowTokens(int) window}, {@code max_tokens} cuts and
         * {@link Fault#contextLengthAbove(int)} all follow it. {@link EncodingType#CL100K_BASE} stands in for a
         * model whose tokenizer needs more tokens than o200k (Llama or Qwen style: about 1.5× on Chinese and
         * 1.8× on Vietnamese text). Each encoding is loaded once per JVM, at the first {@code start()} that needs
         * it (cl100k about half a second, o200k about one), and shared. Default
         * {@link #DEFAULT_TOKEN_COUNTING o200k}. Replaces an earlier {@link #tokenCounting(ToIntFunction)}.
         */
        public Builder tokenCounting(EncodingType encoding) {
            this.tokens = Tokens.encoding(Objects.requireNonNull(encoding, "encoding"));
            return this;
        }

        /**
         * Counts the tokens of plain text with {@code textCounter}, for any other tokenizer; the chat rule of
         * {@link #tokenCounting(EncodingType)} stays the server's, and everything listed there follows the
         * counter. It is called on server threads, possibly concurrently, never with null or empty text, and
         * must return a count {@code >= 0}: a request whose counting throws or returns less gets a 500.
         * {@code max_tokens} cuts a reply to its longest prefix that fits, so a longer text must never count
         * fewer tokens. Replaces an earlier {@link #tokenCounting(EncodingType)}.
         */
        public Builder tokenCounting(ToIntFunction<String> textCounter) {
            this.tokens = Tokens.counter(Objects.requireNonNull(textCounter, "textCounter"));
            return this;
        }

        /**
         * Wording of the 400 for a request over the context window (the server's own and
         * {@link Fault#contextLengthAbove(int)}): OpenAI's, vLLM's, or one that states no numbers.
         * Default {@link ContextLengthWording#OPENAI}.
         */
        public Builder contextLengthWording(ContextLengthWording wording) {
            this.contextLengthWording = Objects.requireNonNull(wording, "wording");
            return this;
        }

        /** Every healthy chat request is answered with this text. */
        public Builder replyText(String text) {
            Objects.requireNonNull(text, "text");
            return reply(request -> Reply.text(text));
        }

        /**
         * Computes each healthy reply from the request (called on server threads, possibly concurrently).
         * Returning {@code null}, or a tool call to a request that offers no tools, gives the default reply.
         * Default: {@code "[<name>] answer to: <first 40 chars of the last user message>"}.
         */
        public Builder reply(Function<RecordedChatRequest, Reply> replyFunction) {
            this.replyFunction = Objects.requireNonNull(replyFunction, "replyFunction");
            return this;
        }

        /** Delay before every response's headers, on top of latency faults. Default zero. */
        public Builder baseLatency(Duration latency) {
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("baseLatency must be >= 0 but was " + latency);
            }
            this.baseLatency = latency;
            return this;
        }

        /** Pause between streamed chunks (released at once on close). Default zero. */
        public Builder streamChunkInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("streamChunkInterval must be >= 0 but was " + interval);
            }
            this.streamChunkInterval = interval;
            return this;
        }

        /** Clock for schedules and {@code created} timestamps. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Seed of the random behind fault probabilities and latency distributions. Default 0. */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /** Port to bind on 127.0.0.1. Default 0: a random free port (use that in tests). */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 0..65535 but was " + port);
            }
            this.port = port;
            return this;
        }

        /** A server, not yet started. */
        public ChaosOpenAiServer build() {
            return new ChaosOpenAiServer(this);
        }
    }
}
