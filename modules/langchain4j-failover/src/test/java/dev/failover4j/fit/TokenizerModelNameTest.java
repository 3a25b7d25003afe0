package dev.failover4j.fit;

import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TokenizerModelNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o", "gpt-4o-mini", "gpt-4o-2024-08-06", "chatgpt-4o-latest", "gpt-4.1",
            "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4.5-preview", "gpt-5", "gpt-5-mini", "gpt-5.1", "o1", "o1-mini",
            "o3", "o3-mini", "o4-mini", "GPT-4.1", "openai/gpt-4.1"})
    void should_use_exact_o200k_when_model_is_a_current_openai_model(String modelName) {
        // when
        Tokenizer tokenizer = Tokenizer.forModelName(modelName);

        // then
        assertThat(tokenizer.exact()).isTrue();
        assertThat(((JtokkitTokenizer) tokenizer).encodingType()).isEqualTo(EncodingType.O200K_BASE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4", "gpt-4-turbo", "gpt-4-0613", "gpt-4-32k", "gpt-3.5-turbo", "gpt-3.5-turbo-16k"})
    void should_use_exact_cl100k_when_model_is_gpt_4_or_gpt_3_5(String modelName) {
        // when
        Tokenizer tokenizer = Tokenizer.forModelName(modelName);

        // then
        assertThat(tokenizer.exact()).isTrue();
        assertThat(((JtokkitTokenizer) tokenizer).encodingType()).isEqualTo(EncodingType.CL100K_BASE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude-3-5-sonnet-20241022", "gemini-2.0-flash", "deepseek-chat", "llama-3.1-70b",
            "qwen2.5-72b-instruct", "mistral-large-latest", "", "ollama", "o1x", "gpt-4.2"})
    void should_approximate_with_o200k_when_model_is_not_an_openai_model(String modelName) {
        // when
        Tokenizer tokenizer = Tokenizer.forModelName(modelName);

        // then
        assertThat(tokenizer.exact()).isFalse();
        assertThat(((JtokkitTokenizer) tokenizer).encodingType()).isEqualTo(EncodingType.O200K_BASE);
    }

    @Test
    void should_approximate_when_model_name_is_null() {
        // when
        Tokenizer tokenizer = Tokenizer.forModelName(null);

        // then
        assertThat(tokenizer.exact()).isFalse();
        assertThat(tokenizer.countText("hello world")).isEqualTo(2);
    }
}
