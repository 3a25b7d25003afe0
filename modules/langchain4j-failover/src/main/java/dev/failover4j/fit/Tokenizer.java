package dev.failover4j.fit;

import com.knuddels.jtokkit.api.EncodingType;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;

import java.util.List;
import java.util.Objects;

/**
 * Counts tokens the way a target's model does, following OpenAI's chat rule: the tokens of every
 * field that is sent, {@value TokenCosts#TOKENS_PER_MESSAGE} per message plus one for the role,
 * {@value TokenCosts#TOKENS_PER_NAME} more per name, and {@value TokenCosts#REPLY_PRIMING_TOKENS} to
 * prime the reply. Non-text content and tool structure cost the constants in {@link TokenCosts}.
 *
 * <p>Implementations are thread-safe and hold no per-call state. They do not cache; {@link
 * ContextFitter} caches per-message counts.
 */
public interface Tokenizer {

    /**
     * Tokens of ordinary text. Text that looks like a special token (e.g. {@code <|endoftext|>}) is
     * counted as plain text, never rejected.
     *
     * @throws NullPointerException if {@code text} is null
     */
    int countText(String text);

    /**
     * Tokens one message adds to a request: all of its sent fields plus the per-message overhead.
     *
     * @throws NullPointerException if {@code message} is null
     */
    int countMessage(ChatMessage message);

    /**
     * Tokens the tool specifications add to a request; 0 for {@code null} or an empty list.
     *
     * @throws NullPointerException if an element is null (the message names its index)
     */
    int countTools(List<ToolSpecification> tools);

    /** Tokens that prime the reply: {@value TokenCosts#REPLY_PRIMING_TOKENS} under the OpenAI rule. */
    int replyPrimingTokens();

    /**
     * Whether this is the model's real tokenizer. {@code false} for approximations (another model
     * family's encoding, or an estimator); callers should then keep a safety margin.
     */
    boolean exact();

    /**
     * The exact jtokkit tokenizer for {@code encoding}. The encoding is loaded on first use (≈ 0.5–1 s,
     * up to ~30 MB), once per JVM, and shared by all tokenizers.
     *
     * @throws NullPointerException if {@code encoding} is null
     */
    static Tokenizer of(EncodingType encoding) {
        return new JtokkitTokenizer(Objects.requireNonNull(encoding, "encoding must not be null"), true);
    }

    /**
     * The tokenizer for a model name: gpt-4o*, chatgpt-4o*, gpt-4.1*, gpt-4.5*, gpt-5*, o1*, o3*, o4*
     * use o200k_base (exact); other gpt-4* and gpt-3.5* use cl100k_base (exact); anything else
     * (Claude, Gemini, DeepSeek, Llama, Qwen, Mistral, {@code null}, ...) gets o200k_base as an
     * approximation ({@link #exact()} is {@code false}). Matching ignores case and a provider prefix
     * such as {@code openai/}.
     */
    static Tokenizer forModelName(String modelName) {
        EncodingType exactEncoding = ModelEncodings.exactEncodingFor(modelName);
        return exactEncoding != null
                ? new JtokkitTokenizer(exactEncoding, true)
                : new JtokkitTokenizer(EncodingType.O200K_BASE, false);
    }

    /**
     * A tokenizer that counts text with any LangChain4j {@link TokenCountEstimator} and frames
     * messages by the OpenAI rule. {@link #exact()} is {@code false}.
     *
     * @throws NullPointerException if {@code estimator} is null
     */
    static Tokenizer of(TokenCountEstimator estimator) {
        return new EstimatorTokenizer(Objects.requireNonNull(estimator, "estimator must not be null"));
    }
}
