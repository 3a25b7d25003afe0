package dev.failover4j.fit;

import dev.langchain4j.model.TokenCountEstimator;

import java.util.Objects;

/**
 * Counts text with a LangChain4j {@link TokenCountEstimator}; messages are framed by the OpenAI rule
 * so every tokenizer treats names, images and tool calls alike. Always an approximation. Internal.
 */
final class EstimatorTokenizer extends AbstractTokenizer {

    private final TokenCountEstimator estimator;

    EstimatorTokenizer(TokenCountEstimator estimator) {
        this.estimator = estimator;
    }

    @Override
    public int countText(String text) {
        Objects.requireNonNull(text, "text must not be null");
        return estimator.estimateTokenCountInText(text);
    }

    @Override
    public boolean exact() {
        return false;
    }

    @Override
    public String toString() {
        return "Tokenizer[" + estimator.getClass().getSimpleName() + ", approximate]";
    }
}
