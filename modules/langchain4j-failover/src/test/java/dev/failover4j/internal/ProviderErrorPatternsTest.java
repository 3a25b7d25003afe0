package dev.failover4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One case per provider wording; the patterns live only in {@link ProviderErrorPatterns}. */
class ProviderErrorPatternsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "OpenAI     | {\"error\":{\"message\":\"This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}",
        "Azure      | {\"error\":{\"code\":\"context_length_exceeded\",\"message\":\"This model's maximum context length is 8192 tokens, however you requested 9000 tokens\"}}",
        "DeepSeek   | {\"error\":{\"message\":\"This model's maximum context length is 65536 tokens. However, you requested 70000 tokens (69000 in the messages, 1000 in the completion).\",\"type\":\"invalid_request_error\"}}",
        "vLLM-old   | {\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.\",\"type\":\"BadRequestError\",\"code\":400}",
        "vLLM-new   | {\"object\":\"error\",\"message\":\"The decoder prompt (length 5000) is longer than the maximum model length of 4096. Make sure that `max_model_len` is no smaller than the number of text tokens.\",\"type\":\"BadRequestError\",\"code\":400}",
        "sglang     | {\"object\":\"error\",\"message\":\"Input length (5000 tokens) exceeds the maximum allowed length (4096 tokens). The request is longer than the model's context length (4096 tokens).\",\"code\":400}",
        "Ollama     | {\"error\":\"input length exceeds the context length\"}",
        "LiteLLM    | {\"error\":{\"message\":\"litellm.ContextWindowExceededError: litellm.BadRequestError: prompt too long\",\"type\":null,\"param\":null,\"code\":\"400\"}}",
        "llama.cpp  | {\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size, try increasing it\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":5000,\"n_ctx\":4096}}",
        "Anthropic  | {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}",
        "Gemini     | [{\"error\":{\"code\":400,\"message\":\"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).\",\"status\":\"INVALID_ARGUMENT\"}}]"
    })
    void should_recognise_context_length_wording(String provider, String body) {
        assertThat(ProviderErrorPatterns.isContextLengthExceeded(body)).as(provider).isTrue();
        assertThat(ProviderErrorPatterns.isContentFiltered(body)).as(provider).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.\",\"code\":\"content_filter\",\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\"}}}",
        "{\"error\":{\"message\":\"Your request was rejected as a result of our safety system.\",\"code\":\"content_policy_violation\"}}",
        "{\"error\":{\"message\":\"Request flagged by the moderation endpoint\"}}"
    })
    void should_recognise_content_filter_wording(String body) {
        assertThat(ProviderErrorPatterns.isContentFiltered(body)).isTrue();
        assertThat(ProviderErrorPatterns.isContextLengthExceeded(body)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"error\":{\"message\":\"Invalid value for 'temperature': must be <= 2.\",\"code\":\"invalid_value\"}}",
        "{\"error\":{\"message\":\"'messages' must contain the word 'json' in some form\"}}",
        "{\"error\":{\"message\":\"Unrecognized request argument supplied: foo\"}}"
    })
    void should_not_mistake_ordinary_bad_requests(String body) {
        assertThat(ProviderErrorPatterns.isContextLengthExceeded(body)).isFalse();
        assertThat(ProviderErrorPatterns.isContentFiltered(body)).isFalse();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            OpenAI / Azure / DeepSeek | This model's maximum context length is 4096 tokens. However, your messages resulted in 4770 tokens. Please reduce the length of the messages. | 4096 | 4770
            OpenAI with completion    | This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). | 4096 | 4000
            vLLM decoder prompt       | The decoder prompt (length 5000) is longer than the maximum model length of 4096. Make sure that `max_model_len` is no smaller than the number of text tokens. | 4096 | 5000
            sglang                    | The input (5000 tokens) is longer than the model's context length (4096 tokens). | 4096 | 5000
            vLLM old, window only     | This model's context is longer than the model's context length (4096 tokens). | 4096 |
            llama.cpp                 | {"error":{"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error","n_prompt_tokens":5000,"n_ctx":4096}} | 4096 | 5000
            Anthropic via gateway     | prompt is too long: 210000 tokens > 200000 maximum | 200000 | 210000
            Ollama, no numbers        | input length exceeds the context length | |
            """)
    void should_read_the_window_and_prompt_size_a_context_length_error_states(String provider, String text, Integer window, Integer prompt) {
        ProviderErrorPatterns.Stated stated = ProviderErrorPatterns.statedContextNumbers(text);
        org.assertj.core.api.Assertions.assertThat(stated.windowTokens()).as(provider).isEqualTo(window);
        org.assertj.core.api.Assertions.assertThat(stated.promptTokens()).as(provider).isEqualTo(prompt);
    }
}
