package dev.failover4j;

import dev.langchain4j.model.output.TokenUsage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

/**
 * A target's price per million input and output tokens, in any one currency, for cost estimates.
 *
 * @param inputPerMillion  price of one million input (prompt) tokens
 * @param outputPerMillion price of one million output (completion) tokens
 */
public record TokenPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    public TokenPrice {
        Objects.requireNonNull(inputPerMillion, "inputPerMillion");
        Objects.requireNonNull(outputPerMillion, "outputPerMillion");
        if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0) {
            throw new IllegalArgumentException(
                    "prices must not be negative but were " + inputPerMillion + " / " + outputPerMillion);
        }
    }

    /** @return e.g. {@code TokenPrice.perMillion("0.27", "1.10")} */
    public static TokenPrice perMillion(String input, String output) {
        return new TokenPrice(new BigDecimal(input), new BigDecimal(output));
    }

    /** @return the cost of the given usage (zero for null counts) */
    public BigDecimal cost(TokenUsage usage) {
        if (usage == null) {
            return BigDecimal.ZERO;
        }
        return cost(usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
    }

    /** @return the cost of so many input and output tokens */
    public BigDecimal cost(long inputTokens, long outputTokens) {
        return inputPerMillion.multiply(BigDecimal.valueOf(inputTokens))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(outputTokens)))
                .divide(MILLION, MathContext.DECIMAL64);
    }
}
