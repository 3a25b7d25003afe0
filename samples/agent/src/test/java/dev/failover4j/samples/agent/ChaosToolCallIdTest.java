package dev.failover4j.samples.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import org.junit.jupiter.api.Test;

/**
 * Tool-call ids must be unique within a conversation (OpenAI's are random {@code call_...} strings), and
 * a conversation that fails over meets two servers: the testkit puts the server's name in its ids.
 */
class ChaosToolCallIdTest {

    private static final ToolSpecification LOOKUP = ToolSpecification.builder().name("lookupOrder").build();

    @Test
    void should_give_distinct_tool_call_ids_when_two_servers_each_answer_with_a_tool_call() {
        try (ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").build().start();
                ChaosOpenAiServer secondary = ChaosOpenAiServer.builder().name("secondary").build().start()) {
            // given
            primary.replyWithToolCall("lookupOrder", "{}");
            secondary.replyWithToolCall("lookupOrder", "{}");
            ChatRequest request = ChatRequest.builder().messages(UserMessage.from("where is A-1001?")).toolSpecifications(LOOKUP).build();

            // when
            String fromPrimary = client(primary).chat(request).aiMessage().toolExecutionRequests().get(0).id();
            String fromSecondary = client(secondary).chat(request).aiMessage().toolExecutionRequests().get(0).id();

            // then
            assertThat(fromSecondary).isNotEqualTo(fromPrimary);
        }
    }

    private static ChatModel client(ChaosOpenAiServer server) {
        return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test-key-0000").modelName("gpt-4o-mini")
                .maxRetries(0).build();
    }
}
