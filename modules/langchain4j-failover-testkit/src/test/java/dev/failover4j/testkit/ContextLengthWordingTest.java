package dev.failover4j.testkit;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.chat.request.ChatRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Each {@link ContextLengthWording} as a real {@code OpenAiChatModel} receives it. */
class ContextLengthWordingTest {

    private static final String LONG_PROMPT = "word ".repeat(100);

    private ChaosOpenAiServer server;

    @AfterEach
    void closeServer() {
        server.close();
    }

    private void start(ContextLengthWording wording) {
        server = ChaosOpenAiServer.builder().contextWindowTokens(50).contextLengthWording(wording).build().start();
    }

    /** The 400's body, as LangChain4j puts it in the cause's message. */
    private String rejection(int maxTokens, String text) {
        ChatRequest.Builder request = ChatRequest.builder().messages(UserMessage.from(text));
        if (maxTokens > 0) {
            request.maxOutputTokens(maxTokens);
        }
        Throwable t = catchThrowable(() -> Clients.chatModel(server.baseUrl()).chat(request.build()));
        assertThat(t).isInstanceOf(InvalidRequestException.class);
        return t.getCause().getMessage();
    }

    private int lastPromptTokens() {
        return server.requests().get(server.requestCount() - 1).promptTokens();
    }

    @Test
    void should_state_window_and_count_in_openai_wording_when_the_wording_is_openai() {
        // given
        start(ContextLengthWording.OPENAI);

        // when
        String promptTooLong = rejection(0, LONG_PROMPT);
        int prompt = lastPromptTokens();
        String withCompletion = rejection(45, "hello");

        // then
        assertThat(promptTooLong).contains("\"code\":\"context_length_exceeded\"").contains("This model's maximum "
                + "context length is 50 tokens. However, your messages resulted in " + prompt + " tokens. Please "
                + "reduce the length of the messages.");
        assertThat(withCompletion).contains("\"code\":\"context_length_exceeded\"").contains("This model's maximum "
                + "context length is 50 tokens. However, you requested 53 tokens (8 in the messages, 45 in the "
                + "completion). Please reduce the length of the messages or completion.");
    }

    @Test
    void should_state_window_and_count_in_vllm_wording_when_the_wording_is_vllm() {
        // given
        start(ContextLengthWording.VLLM);

        // when
        String promptTooLong = rejection(0, LONG_PROMPT);
        int prompt = lastPromptTokens();
        String withCompletion = rejection(45, "hello");

        // then
        assertThat(promptTooLong).contains("The decoder prompt (length " + prompt + ") is longer than the maximum "
                        + "model length of 50.")
                .contains("\"type\":\"BadRequestError\"").contains("\"code\":400")
                .doesNotContain("context_length_exceeded");
        assertThat(withCompletion).contains("This model's maximum context length is 50 tokens. However, you "
                        + "requested 53 tokens (8 in the messages, 45 in the completion).")
                .contains("\"type\":\"BadRequestError\"").doesNotContain("context_length_exceeded");
        assertThat(server.stats().faultCount(FaultKind.CONTEXT_LENGTH_EXCEEDED)).isEqualTo(2);
    }

    @Test
    void should_state_no_numbers_when_the_wording_is_no_numbers() {
        // given
        start(ContextLengthWording.NO_NUMBERS);

        // when
        String promptTooLong = rejection(0, LONG_PROMPT);
        String withCompletion = rejection(45, "hello");

        // then
        for (String body : new String[] {promptTooLong, withCompletion}) {
            assertThat(body).contains("\"message\":\"the input length exceeds the context length\"")
                    .doesNotContain("context_length_exceeded").doesNotContainPattern("\\d");
        }
    }

    @Test
    void should_use_the_chosen_wording_when_a_context_length_fault_fires() {
        // given
        start(ContextLengthWording.VLLM);
        server.inject(Fault.contextLengthAbove(5));

        // when
        String body = rejection(0, "hello there");

        // then
        assertThat(body).contains("The decoder prompt (length " + lastPromptTokens() + ") is longer than the "
                + "maximum model length of 5.");
    }
}
