package dev.failover4j.testkit;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static dev.failover4j.testkit.Clients.StreamRecorder;
import static org.assertj.core.api.Assertions.assertThat;

class ChaosOpenAiServerChatTest {

    private static final ToolSpecification WEATHER = ToolSpecification.builder()
            .name("get_weather")
            .description("Current weather in a city")
            .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build())
            .build();

    private ChaosOpenAiServer server;

    @BeforeEach
    void startServer() {
        server = ChaosOpenAiServer.builder().name("primary").modelName("gpt-4o-mini").build().start();
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void should_answer_with_default_text_naming_the_server_when_no_reply_is_configured() {
        // given
        var model = Clients.chatModel(server.baseUrl());

        // when
        ChatResponse response = model.chat(ChatRequest.builder()
                .messages(UserMessage.from("What is the capital of France, and why is it Paris?")).build());

        // then
        assertThat(response.aiMessage().text())
                .isEqualTo("[primary] answer to: What is the capital of France, and why i");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.modelName()).isEqualTo("gpt-4o-mini");
        assertThat(response.id()).startsWith("chatcmpl-primary-");
    }

    @Test
    void should_report_token_usage_by_the_openai_chat_rule_when_answering() {
        // given
        server.close();
        server = ChaosOpenAiServer.builder().name("primary").replyText("Paris.").build().start();
        var model = Clients.chatModel(server.baseUrl());

        // when
        ChatResponse response = model.chat(ChatRequest.builder()
                .messages(SystemMessage.from("Be brief."), UserMessage.from("Capital of France?")).build());

        // then: 3 priming + 2 × (3 + role + content)
        int expectedPrompt = 3 + (3 + 1 + 3) + (3 + 1 + 4);
        assertThat(server.takeRequest(Clients.TIMEOUT).promptTokens()).isEqualTo(expectedPrompt);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(expectedPrompt);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(2);
        assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(expectedPrompt + 2);
    }

    @Test
    void should_echo_the_requested_model_when_the_request_names_one() {
        // given
        var model = Clients.chatModel(server.baseUrl());

        // when
        ChatResponse response = model.chat(ChatRequest.builder().modelName("deepseek-chat")
                .messages(UserMessage.from("hi")).build());

        // then
        assertThat(response.modelName()).isEqualTo("deepseek-chat");
        assertThat(server.takeRequest(Clients.TIMEOUT).model()).isEqualTo("deepseek-chat");
    }

    @Test
    void should_cut_the_reply_with_finish_reason_length_when_max_tokens_is_smaller() {
        // given
        server.close();
        server = ChaosOpenAiServer.builder().replyText("one two three four five six seven eight").build().start();
        var model = Clients.chatModel(server.baseUrl());

        // when
        ChatResponse response = model.chat(ChatRequest.builder().maxOutputTokens(3)
                .messages(UserMessage.from("count")).build());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("one two three");
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(3);
    }

    @Test
    void should_answer_with_a_tool_call_when_scripted_and_tools_are_offered() {
        // given
        server.replyWithToolCall("get_weather", "{\"city\":\"Paris\"}");
        var model = Clients.chatModel(server.baseUrl());
        UserMessage question = UserMessage.from("Weather in Paris?");

        // when
        ChatResponse first = model.chat(ChatRequest.builder().messages(question).toolSpecifications(WEATHER).build());
        ToolExecutionRequest call = first.aiMessage().toolExecutionRequests().get(0);
        ChatResponse second = model.chat(ChatRequest.builder()
                .messages(question, first.aiMessage(), ToolExecutionResultMessage.from(call, "sunny"))
                .toolSpecifications(WEATHER).build());

        // then
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(call.id()).startsWith("call_");
        assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(second.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(second.aiMessage().text()).startsWith("[primary] answer to: Weather in Paris?");
        assertThat(server.requests()).extracting(RecordedChatRequest::toolNames)
                .containsExactly(List.of("get_weather"), List.of("get_weather"));
    }

    @Test
    void should_answer_text_and_keep_the_scripted_tool_call_when_the_request_offers_no_tools() {
        // given
        server.replyWithToolCall("get_weather", "{\"city\":\"Paris\"}");
        var model = Clients.chatModel(server.baseUrl());

        // when
        ChatResponse withoutTools = model.chat(ChatRequest.builder().messages(UserMessage.from("hi")).build());
        ChatResponse withTools = model.chat(ChatRequest.builder().messages(UserMessage.from("hi"))
                .toolSpecifications(WEATHER).build());

        // then
        assertThat(withoutTools.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(withTools.aiMessage().toolExecutionRequests()).hasSize(1);
    }

    @Test
    void should_answer_parallel_tool_calls_from_the_reply_function_when_tools_are_offered() {
        // given
        server.close();
        server = ChaosOpenAiServer.builder()
                .reply(request -> Reply.toolCalls(List.of(
                        new Reply.ToolCall("get_weather", "{\"city\":\"Paris\"}"),
                        new Reply.ToolCall("get_weather", "{\"city\":\"Rome\"}"))))
                .build().start();
        var model = Clients.chatModel(server.baseUrl());

        // when
        ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("Paris and Rome?"))
                .toolSpecifications(WEATHER).build());

        // then
        assertThat(response.aiMessage().toolExecutionRequests())
                .extracting(ToolExecutionRequest::arguments)
                .containsExactly("{\"city\":\"Paris\"}", "{\"city\":\"Rome\"}");
    }

    @Test
    void should_stream_text_in_several_chunks_with_usage_and_finish_reason_when_stream_is_requested()
            throws InterruptedException {
        // given
        server.close();
        server = ChaosOpenAiServer.builder().replyText("The quick brown fox jumps.").build().start();
        var model = Clients.streamingModel(server.baseUrl());

        // when
        StreamRecorder r = StreamRecorder.start(model, ChatRequest.builder()
                .messages(UserMessage.from("Tell me about foxes")).build());

        // then
        assertThat(StreamRecorder.await(r.completed)).isTrue();
        assertThat(r.error.get()).isNull();
        assertThat(r.partials).hasSizeGreaterThanOrEqualTo(5);
        assertThat(r.text()).isEqualTo("The quick brown fox jumps.");
        ChatResponse done = r.complete.get();
        assertThat(done.aiMessage().text()).isEqualTo("The quick brown fox jumps.");
        assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done.tokenUsage().inputTokenCount()).isEqualTo(server.requests().get(0).promptTokens());
        assertThat(done.tokenUsage().outputTokenCount()).isEqualTo(6);
        assertThat(server.requests().get(0).stream()).isTrue();
        assertThat(server.requests().get(0).includeUsage()).isTrue();
    }

    @Test
    void should_stream_a_tool_call_in_fragments_when_scripted_and_tools_are_offered() throws InterruptedException {
        // given
        server.replyWithToolCall("get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}");
        var model = Clients.streamingModel(server.baseUrl());

        // when
        StreamRecorder r = StreamRecorder.start(model, ChatRequest.builder()
                .messages(UserMessage.from("Weather?")).toolSpecifications(WEATHER).build());

        // then
        assertThat(StreamRecorder.await(r.completed)).isTrue();
        AiMessage message = r.complete.get().aiMessage();
        assertThat(message.toolExecutionRequests()).hasSize(1);
        assertThat(message.toolExecutionRequests().get(0).name()).isEqualTo("get_weather");
        assertThat(message.toolExecutionRequests().get(0).arguments())
                .isEqualTo("{\"city\":\"Paris\",\"unit\":\"celsius\"}");
        assertThat(r.complete.get().finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    }

    @Test
    void should_list_the_model_when_models_are_requested() throws Exception {
        // when
        HttpResponse<String> response = Clients.get(server.baseUrl() + "/models");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"object\":\"list\"").contains("\"id\":\"gpt-4o-mini\"");
    }

    @Test
    void should_bind_only_the_loopback_address_when_started() {
        // then
        assertThat(server.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/v1");
        assertThat(server.port()).isPositive();
    }

    @Test
    void should_answer_over_http_1_1_when_the_client_offers_an_h2c_upgrade() throws Exception {
        // given: the JDK client's default (HTTP/2) sends "Upgrade: h2c" on plain http
        java.net.http.HttpClient defaultClient = java.net.http.HttpClient.newHttpClient();

        // when
        HttpResponse<String> response = defaultClient.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.baseUrl() + "/chat/completions"))
                        .timeout(Clients.TIMEOUT)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Clients.chatJson("hi", false)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).contains("[primary] answer to: hi");
    }
}
