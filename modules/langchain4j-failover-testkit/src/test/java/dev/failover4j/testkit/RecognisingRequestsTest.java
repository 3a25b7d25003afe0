package dev.failover4j.testkit;

import dev.failover4j.testkit.RecordedChatRequest.ToolResult;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The helpers a {@code reply} function uses to tell continuations, roles and tool results apart. */
class RecognisingRequestsTest {

    private static final String SENTENCE = "The quick brown fox jumps over the lazy dog.";

    private ChaosOpenAiServer server;

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    private ChaosOpenAiServer start(Function<RecordedChatRequest, Reply> reply) {
        server = ChaosOpenAiServer.builder().name("backup").reply(reply).build().start();
        return server;
    }

    private static ChatResponse chat(ChaosOpenAiServer server, ChatMessage... messages) {
        return Clients.chatModel(server.baseUrl()).chat(ChatRequest.builder().messages(messages).build());
    }

    @Test
    void should_answer_only_the_rest_when_the_request_is_a_continuation_of_a_partial_answer() {
        // given: a reply function that continues from the partial answer, as the core's failover asks it to
        ChaosOpenAiServer backup = start(request -> request.isContinuation()
                ? Reply.text(SENTENCE.substring(request.partialAnswer().orElseThrow().length()))
                : Reply.text(SENTENCE));

        // when: the request the failover streaming model sends after a stream broke after "The quick brown"
        ChatResponse response = chat(backup, UserMessage.from("Tell me about foxes"), AiMessage.from("The quick brown"),
                UserMessage.from(RecordedChatRequest.CONTINUE_INSTRUCTION));

        // then
        assertThat(response.aiMessage().text()).isEqualTo(" fox jumps over the lazy dog.");
        RecordedChatRequest recorded = backup.takeRequest(Clients.TIMEOUT);
        assertThat(recorded.isContinuation()).isTrue();
        assertThat(recorded.partialAnswer()).hasValue("The quick brown");
        assertThat(recorded.lastMessageRole()).isEqualTo("user");
    }

    @Test
    void should_not_take_a_request_for_a_continuation_when_the_instruction_is_not_the_last_message_or_not_alone() {
        // given
        ChaosOpenAiServer backup = start(request -> Reply.text(SENTENCE));

        // when: the instruction earlier in the history, then quoted inside a longer user message
        chat(backup, UserMessage.from("Tell me about foxes"), AiMessage.from("The quick brown"),
                UserMessage.from(RecordedChatRequest.CONTINUE_INSTRUCTION), AiMessage.from(" fox."),
                UserMessage.from("Thanks!"));
        chat(backup, UserMessage.from("Tell me about foxes"), AiMessage.from("The quick brown"),
                UserMessage.from("Please: " + RecordedChatRequest.CONTINUE_INSTRUCTION));

        // then
        assertThat(backup.requests()).hasSize(2).allSatisfy(request -> {
            assertThat(request.isContinuation()).as("%s", request).isFalse();
            assertThat(request.partialAnswer()).as("%s", request).isEmpty();
        });
    }

    @Test
    void should_recognise_a_continuation_when_its_messages_are_sent_as_content_parts() throws Exception {
        // given
        ChaosOpenAiServer backup = start(request -> Reply.text(SENTENCE));
        String json = """
                {"model":"gpt-4o-mini","messages":[
                 {"role":"user","content":[{"type":"text","text":"Tell me about foxes"}]},
                 {"role":"assistant","content":[{"type":"text","text":"The quick brown"}]},
                 {"role":"user","content":[{"type":"text","text":"%s"}]}]}
                """.formatted(RecordedChatRequest.CONTINUE_INSTRUCTION);

        // when
        Clients.post(backup.baseUrl() + "/chat/completions", json);

        // then
        RecordedChatRequest recorded = backup.takeRequest(Clients.TIMEOUT);
        assertThat(recorded.isContinuation()).isTrue();
        assertThat(recorded.partialAnswer()).hasValue("The quick brown");
    }

    @Test
    void should_give_the_role_of_the_last_message_when_it_comes_from_each_role() throws Exception {
        // given
        ChaosOpenAiServer backup = start(request -> Reply.text("ok"));

        // when
        chat(backup, SystemMessage.from("Be brief."));
        chat(backup, SystemMessage.from("Be brief."), UserMessage.from("hi"));
        chat(backup, UserMessage.from("hi"), AiMessage.from("Hello"));
        chat(backup, UserMessage.from("Weather in Paris?"), weatherCall(), weatherResult());
        Clients.post(backup.baseUrl() + "/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[]}");

        // then
        assertThat(backup.requests()).extracting(RecordedChatRequest::lastMessageRole)
                .containsExactly("system", "user", "assistant", "tool", "");
    }

    @Test
    void should_give_the_tool_result_with_its_call_id_and_tool_name_when_the_last_message_is_a_tool_result() {
        // given: a reply function that answers from the tool's result, as an agent's model would
        ChaosOpenAiServer backup = start(request -> request.lastToolResult()
                .map(result -> Reply.text("It is " + result.content() + " (from " + result.toolName() + ")."))
                .orElse(Reply.toolCall("get_weather", "{\"city\":\"Paris\"}")));

        // when
        ChatResponse response = chat(backup, UserMessage.from("Weather in Paris?"), weatherCall(), weatherResult());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("It is 12 °C, sunny (from get_weather).");
        assertThat(backup.takeRequest(Clients.TIMEOUT).lastToolResult())
                .hasValue(new ToolResult("call_weather_1", "get_weather", "12 °C, sunny"));
    }

    @Test
    void should_give_no_tool_result_when_a_message_follows_the_tool_result() {
        // given
        ChaosOpenAiServer backup = start(request -> Reply.text("ok"));

        // when
        chat(backup, UserMessage.from("Weather in Paris?"), weatherCall(), weatherResult(),
                AiMessage.from("It is 12 °C, sunny."), UserMessage.from("And tomorrow?"));
        chat(backup, UserMessage.from("hi"));

        // then
        assertThat(backup.requests()).hasSize(2)
                .allSatisfy(request -> assertThat(request.lastToolResult()).as("%s", request).isEmpty());
    }

    private static AiMessage weatherCall() {
        return AiMessage.from(List.of(ToolExecutionRequest.builder()
                .id("call_weather_1").name("get_weather").arguments("{\"city\":\"Paris\"}").build()));
    }

    private static ToolExecutionResultMessage weatherResult() {
        return ToolExecutionResultMessage.from("call_weather_1", "get_weather", "12 °C, sunny");
    }
}
