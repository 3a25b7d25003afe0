package dev.failover4j.fit;

/**
 * The fixed token costs used when counting a chat request the way OpenAI's chat models see it.
 *
 * <p>Text is always encoded; these constants cover the parts that are not plain text (message
 * framing, images, other media, tool-call structure). Where OpenAI publishes no exact figure the
 * constant is chosen to be <em>conservative</em> (an over-estimate), because under-counting makes a
 * provider reject the request with a context-length error while over-counting only drops a little
 * more history than necessary.
 *
 * <p>Sources: the OpenAI cookbook "How to count tokens with tiktoken" ({@code num_tokens_from_messages}:
 * 3 tokens per message, 1 per name, 3 to prime the reply) and OpenAI's vision pricing rules.
 */
public final class TokenCosts {

    /** Tokens framing every message ({@code <|start|>role<|message|>...<|end|>} minus the role). */
    public static final int TOKENS_PER_MESSAGE = 3;

    /** Tokens of the role itself: "system", "user", "assistant" and "tool" are one token in cl100k and o200k. */
    public static final int TOKENS_PER_ROLE = 1;

    /** Extra tokens when a message carries a {@code name} (the name's own text is counted too). */
    public static final int TOKENS_PER_NAME = 1;

    /** Tokens priming the reply ({@code <|start|>assistant<|message|>}). */
    public static final int REPLY_PRIMING_TOKENS = 3;

    /**
     * Tokens for one image at {@code HIGH}, {@code MEDIUM}, {@code AUTO} or unspecified detail: 1,536.
     *
     * <p>gpt-4o-class models (tile rule) cost at most 85 + 8 × 170 = 1,445 tokens per image (fit into
     * 2048 px, shortest side 768 px, at most 2 × 4 tiles of 512 px); patch-rule models (gpt-4.1-mini,
     * gpt-4.1-nano, o4-mini) cap an image at 1,536 patches. The larger of the two is used.
     */
    public static final int DEFAULT_IMAGE_TOKENS = 1_536;

    /**
     * Tokens for one image at {@code LOW} detail: 256 (a 512 × 512 image is 85 tokens under the tile
     * rule and 256 patches under the patch rule; the larger is used).
     */
    public static final int LOW_DETAIL_IMAGE_TOKENS = 256;

    /**
     * Tokens for one image at {@code ULTRA_HIGH} detail: 10,240. No published figure exists; this is a
     * deliberately generous guess for full-resolution (computer-use style) images.
     */
    public static final int ULTRA_HIGH_DETAIL_IMAGE_TOKENS = 10_240;

    /**
     * Tokens for one non-text, non-image content item (audio, video, PDF): 2,048. A rough estimate;
     * long recordings or many-page PDFs can cost far more. Targets that receive such content should
     * keep a generous safety margin.
     */
    public static final int DEFAULT_OTHER_CONTENT_TOKENS = 2_048;

    /** Tokens framing the {@code tool_calls} array of an assistant message that calls tools. */
    public static final int TOOL_CALLS_OVERHEAD = 6;

    /**
     * Tokens framing one tool call besides its id, name and arguments (LangChain4j's empirical
     * estimator measures 7 per call of a multi-call message; 8 is used).
     */
    public static final int TOOL_CALL_OVERHEAD = 8;

    /** Tokens framing the whole {@code tools} block of a request that offers tools. */
    public static final int TOOLS_OVERHEAD = 12;

    /** Tokens framing one tool specification besides its JSON. */
    public static final int TOOL_SPECIFICATION_OVERHEAD = 8;

    private TokenCosts() {
    }
}
