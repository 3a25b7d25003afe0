package dev.failover4j;

import static dev.failover4j.support.OpenAiResponses.contextLengthExceeded;
import static dev.failover4j.support.OpenAiResponses.contextLengthExceededWithoutNumbers;
import static dev.failover4j.support.OpenAiResponses.ok;
import static dev.failover4j.support.OpenAiResponses.serverError;
import static dev.failover4j.support.Servers.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every target receives a history that fits its window: checked on the bytes that reach the server. */
class ContextFittingWireTest {

    private static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer big = new MockWebServer();
    private final MockWebServer small = new MockWebServer();
    private final List<FailoverEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        big.start();
        small.start();
    }

    @AfterEach
    void stop() {
        big.close();
        small.close();
    }

    private static FailoverTarget target(String name, MockWebServer server, int window) {
        return FailoverTarget.openAiCompatible(name).baseUrl(server.url("/v1").toString()).apiKey("sk-test-" + name + "-000000")
                .modelName("gpt-4o-mini").contextWindowTokens(window).maxOutputTokens(256).build();
    }

    /** 40 turns of about 120 tokens each, a system message first, the newest question last. */
    private static List<ChatMessage> longHistory() {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from("You are a concise assistant."));
        for (int i = 0; i < 40; i++) {
            messages.add(UserMessage.from("Question " + i + ": " + "tell me about the history of failover in distributed systems. ".repeat(6)));
            messages.add(AiMessage.from("Answer " + i + ": " + "Failover moves traffic to a healthy replica when one fails. ".repeat(6)));
        }
        messages.add(UserMessage.from("And the newest question?"));
        return messages;
    }

    /** OpenAI's chat rule on the received JSON body, counted independently of our fitter. */
    private static int promptTokens(JsonNode body) {
        int tokens = 3;
        for (JsonNode message : body.get("messages")) {
            tokens += 4;
            if (message.hasNonNull("content")) {
                tokens += O200K.countTokensOrdinary(message.get("content").asText());
            }
            if (message.has("tool_calls")) {
                for (JsonNode call : message.get("tool_calls")) {
                    tokens += 8 + O200K.countTokensOrdinary(call.get("function").get("name").asText())
                            + O200K.countTokensOrdinary(call.get("function").get("arguments").asText());
                }
            }
            if (message.has("tool_call_id")) {
                tokens += O200K.countTokensOrdinary(message.get("tool_call_id").asText());
            }
        }
        return tokens;
    }

    private static JsonNode body(RecordedRequest request) throws IOException {
        return JSON.readTree(request.getBody().utf8());
    }

    @Test
    void should_send_the_small_fallback_a_history_that_fits_its_window_keeping_system_and_newest_turn() throws Exception {
        // given
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("big", big, 128_000), target("small", small, 2_000))
                .maxRetries(0).listener(events::add).build();
        List<ChatMessage> history = longHistory();
        List<ChatMessage> copy = List.copyOf(history);
        big.enqueue(serverError());
        small.enqueue(ok("fitted"));
        // when
        ChatResponse response = model.chat(history);
        // then
        assertThat(((FailoverChatResponseMetadata) response.metadata()).targetName()).isEqualTo("small");
        JsonNode atBig = body(take(big));
        JsonNode atSmall = body(take(small));
        assertThat(atBig.get("messages")).hasSize(history.size());
        assertThat(promptTokens(atSmall)).isLessThanOrEqualTo(2_000 - 256);
        JsonNode messages = atSmall.get("messages");
        assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
        assertThat(messages.get(1).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(messages.size() - 1).get("content").asText()).isEqualTo("And the newest question?");
        assertThat(messages.size()).isLessThan(history.size());
        assertThat(history).isEqualTo(copy);
        assertThat(events).filteredOn(e -> e instanceof FailoverEvent.HistoryTruncated).singleElement()
                .satisfies(e -> {
                    FailoverEvent.HistoryTruncated t = (FailoverEvent.HistoryTruncated) e;
                    assertThat(t.target()).isEqualTo("small");
                    assertThat(t.messagesBefore()).isEqualTo(history.size());
                    assertThat(t.messagesAfter()).isEqualTo(messages.size());
                    assertThat(t.tokensAfter()).isLessThanOrEqualTo(t.budgetTokens());
                });
    }

    @Test
    void should_keep_tool_calls_and_their_results_together_when_cutting() throws Exception {
        // given: many rounds of tool use
        List<ChatMessage> history = new ArrayList<>();
        history.add(SystemMessage.from("You are an agent."));
        for (int i = 0; i < 30; i++) {
            history.add(UserMessage.from("Look up order " + i + " and summarise it. " + "Context. ".repeat(20)));
            history.add(AiMessage.from(List.of(
                    ToolExecutionRequest.builder().id("call_" + i + "a").name("lookup").arguments("{\"order\":" + i + "}").build(),
                    ToolExecutionRequest.builder().id("call_" + i + "b").name("audit").arguments("{\"order\":" + i + "}").build())));
            history.add(ToolExecutionResultMessage.from("call_" + i + "a", "lookup", "Order " + i + " shipped. ".repeat(15)));
            history.add(ToolExecutionResultMessage.from("call_" + i + "b", "audit", "No issues. ".repeat(15)));
            history.add(AiMessage.from("Order " + i + " shipped without issues."));
        }
        history.add(UserMessage.from("Which orders were late?"));
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("small", small, 1_500)).build();
        small.enqueue(ok("none"));
        // when
        model.chat(history);
        // then
        JsonNode sent = body(take(small));
        assertThat(promptTokens(sent)).isLessThanOrEqualTo(1_500 - 256);
        Set<String> requested = new HashSet<>();
        Set<String> answered = new HashSet<>();
        for (JsonNode message : sent.get("messages")) {
            if (message.has("tool_calls")) {
                message.get("tool_calls").forEach(c -> requested.add(c.get("id").asText()));
            }
            if (message.get("role").asText().equals("tool")) {
                assertThat(requested).as("tool result without its call").contains(message.get("tool_call_id").asText());
                answered.add(message.get("tool_call_id").asText());
            }
        }
        assertThat(answered).as("tool calls without their results").isEqualTo(requested);
        assertThat(sent.get("messages").get(1).get("role").asText()).isEqualTo("user");
    }

    @Test
    void should_skip_a_target_too_small_for_the_newest_turn_without_calling_it() {
        // given: the newest message alone needs ~1,200 tokens
        List<ChatMessage> history = List.of(UserMessage.from("summarise: " + "lorem ipsum dolor sit amet ".repeat(200)));
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("small", small, 1_000), target("big", big, 128_000)).listener(events::add).build();
        big.enqueue(ok("summary"));
        // when
        ChatResponse response = model.chat(history);
        // then
        assertThat(((FailoverChatResponseMetadata) response.metadata()).targetName()).isEqualTo("big");
        assertThat(small.getRequestCount()).isZero();
        assertThat(events).filteredOn(e -> e instanceof FailoverEvent.TargetSkipped s && s.reason() == SkipReason.CONTEXT_TOO_SMALL)
                .singleElement()
                .satisfies(e -> assertThat(((FailoverEvent.TargetSkipped) e).detail()).contains("needs at least").contains("window 1000"));
    }

    @Test
    void should_throw_naming_counts_and_windows_before_any_http_call_when_no_target_fits() {
        // given
        List<ChatMessage> history = List.of(UserMessage.from("summarise: " + "lorem ipsum dolor sit amet ".repeat(400)));
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("small", small, 1_000), target("medium", big, 2_000)).build();
        // when / then
        assertThatThrownBy(() -> model.chat(history))
                .isInstanceOf(ContextTooLargeException.class)
                .hasMessageContaining("need at least")
                .hasMessageContaining("small: needs at least")
                .hasMessageContaining("window 1000")
                .hasMessageContaining("window 2000");
        assertThat(small.getRequestCount()).isZero();
        assertThat(big.getRequestCount()).isZero();
    }

    @Test
    void should_prefer_a_later_target_that_holds_the_whole_history_when_asked_to() throws Exception {
        // given
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("small", small, 2_000), target("big", big, 128_000))
                .fitStrategy(FitStrategy.PREFER_FULL_HISTORY).build();
        List<ChatMessage> history = longHistory();
        big.enqueue(ok("whole"));
        // when
        ChatResponse response = model.chat(history);
        // then
        assertThat(((FailoverChatResponseMetadata) response.metadata()).targetName()).isEqualTo("big");
        assertThat(body(take(big)).get("messages")).hasSize(history.size());
        assertThat(small.getRequestCount()).isZero();
    }

    @Test
    void should_refit_to_the_next_window_when_a_target_with_a_misdeclared_window_answers_context_length_400() throws Exception {
        // given: "big" claims 128k but its server says the prompt is too long
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("big", big, 128_000), target("small", small, 2_000)).build();
        big.enqueue(contextLengthExceededWithoutNumbers()); // states no window: nothing to learn, the call moves on
        small.enqueue(ok("fitted"));
        // when
        ChatResponse response = model.chat(ChatRequest.builder().messages(longHistory()).build());
        // then
        assertThat(((FailoverChatResponseMetadata) response.metadata()).targetName()).isEqualTo("small");
        take(big);
        assertThat(promptTokens(body(take(small)))).isLessThanOrEqualTo(2_000 - 256);
        assertThat(big.getRequestCount()).isEqualTo(1);
    }
}
