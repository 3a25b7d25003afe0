package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.EncodingType;
import dev.failover4j.fit.Tokenizer;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.RecordedChatRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Self-calibrating fitting at the wire: a primary that is down, and a 4,096-window fallback whose server counts
 * with cl100k (the closest stand-in here for a Llama/Qwen tokenizer) while we count with o200k. Uncalibrated, a
 * Vietnamese or Chinese conversation fitted to that window in o200k is 1.6–1.7 × too long for the server.
 */
class CalibrationWireTest {

    private static final String VIETNAMESE = "Hà Nội là thủ đô của Việt Nam, nằm bên bờ sông Hồng. Thành phố có lịch sử hơn "
            + "một nghìn năm, với nhiều đền chùa, hồ nước và những con phố cổ nhỏ hẹp. Mỗi sáng sớm, người dân đi bộ "
            + "quanh hồ Hoàn Kiếm, tập thể dục và uống cà phê ở các quán nhỏ ven đường. Ẩm thực Hà Nội nổi tiếng với "
            + "phở, bún chả và bánh cuốn. Du khách thường nói rằng cách tốt nhất để hiểu thành phố là đi chậm, quan "
            + "sát và trò chuyện với người dân địa phương.";
    private static final String CHINESE = "杭州位于中国东南沿海，是浙江省的省会，以西湖的美景闻名于世。春天，湖边的柳树发出新芽，"
            + "桃花盛开，游客们沿着苏堤慢慢散步，欣赏远处的青山和湖上的小船。夏天，荷花铺满湖面，傍晚时分，人们坐在岸边乘凉聊天，"
            + "孩子们在树下追逐嬉戏。秋天的桂花香气四溢，整座城市仿佛浸在甜甜的空气里。杭州也是茶叶之乡，龙井茶清香甘甜，"
            + "许多茶农世代在山间种茶、采茶和炒茶，每年清明前后是最忙碌的季节。";
    private static final Tokenizer O200K = Tokenizer.of(EncodingType.O200K_BASE);

    private final List<ChaosOpenAiServer> servers = new ArrayList<>();
    private final List<FailoverEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(ChaosOpenAiServer::close);
    }

    private ChaosOpenAiServer start(ChaosOpenAiServer.Builder builder) {
        ChaosOpenAiServer server = builder.build().start();
        servers.add(server);
        return server;
    }

    private static String text(String language) {
        return language.equals("vietnamese") ? VIETNAMESE : CHINESE;
    }

    /** A system message and {@code turns} user/assistant pairs of the language's prose, then a question. */
    private static List<ChatMessage> conversation(String language, int turns) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from("You are a travel guide."));
        for (int i = 0; i < turns; i++) {
            messages.add(UserMessage.from(i + ". " + text(language)));
            messages.add(AiMessage.from(i + ": " + text(language)));
        }
        messages.add(UserMessage.from("? " + text(language)));
        return messages;
    }

    /** Our o200k count of what a server received, by the same chat rule it used. */
    private static int ourCount(RecordedChatRequest request, List<ChatMessage> sent) {
        int total = O200K.replyPrimingTokens();
        for (ChatMessage message : sent) {
            total += O200K.countMessage(message);
        }
        return total;
    }

    private FailoverGroup group(ChaosOpenAiServer primary, ChaosOpenAiServer llama) {
        FailoverTarget gpt = FailoverTarget.openAiCompatible("gpt").baseUrl(primary.baseUrl()).apiKey("sk-test-gpt-0000000")
                .modelName("gpt-4o-mini").contextWindowTokens(128_000).build();
        FailoverTarget fallback = FailoverTarget.openAiCompatible("llama").baseUrl(llama.baseUrl()).apiKey("sk-test-llama-00000")
                .modelName("llama-3-70b").contextWindowTokens(4_096).build();
        return FailoverGroup.builder().targets(gpt, fallback).maxRetries(0).listener(events::add).build();
    }

    private ChaosOpenAiServer downPrimary() {
        ChaosOpenAiServer primary = start(ChaosOpenAiServer.builder().name("gpt"));
        primary.inject(Fault.httpStatus(503));
        return primary;
    }

    private ChaosOpenAiServer llama() {
        return start(ChaosOpenAiServer.builder().name("llama").modelName("llama-3-70b").contextWindowTokens(4_096)
                .tokenCounting(EncodingType.CL100K_BASE).replyText("ok"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vietnamese", "chinese"})
    void should_serve_a_long_conversation_after_one_extra_request_when_the_fallback_states_its_count_in_a_400(String language) {
        // given: nothing learned yet
        ChaosOpenAiServer llama = llama();
        try (FailoverGroup group = group(downPrimary(), llama)) {
            // when: little output reserved, so that the o200k-fitted history is far over the server's cl100k window
            ChatResponse response = group.chatModel().chat(ChatRequest.builder().messages(conversation(language, 15))
                    .maxOutputTokens(256).build());
            // then: a 400 stating the count, then the re-fitted request served
            assertThat(((FailoverChatResponseMetadata) response.metadata()).targetName()).isEqualTo("llama");
            assertThat(llama.requestCount()).isEqualTo(2);
            RecordedChatRequest first = llama.requests().get(0);
            RecordedChatRequest served = llama.requests().get(1);
            assertThat(first.promptTokens() + 256).isGreaterThan(4_096);
            assertThat(served.promptTokens() + 256).isLessThanOrEqualTo(4_096);
            double trueRatio = (double) first.promptTokens() / ourCountOfRequest(first);
            assertThat(group.health().get(1).stats().tokenRatio()).isCloseTo(trueRatio, org.assertj.core.data.Percentage.withPercentage(5));
            assertThat(events).filteredOn(FailoverEvent.TokenRatioChanged.class::isInstance).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vietnamese", "chinese"})
    void should_serve_a_long_conversation_at_the_first_request_after_a_few_calls_taught_the_ratio_from_usage(String language) {
        // given: three earlier calls of a size the fallback takes whole; their usage teaches the ratio
        ChaosOpenAiServer llama = llama();
        try (FailoverGroup group = group(downPrimary(), llama)) {
            int earlierTurns = language.equals("vietnamese") ? 6 : 3;
            for (int i = 0; i < 3; i++) {
                group.chatModel().chat(ChatRequest.builder().messages(conversation(language, earlierTurns)).build());
            }
            double learned = group.health().get(1).stats().tokenRatio();
            RecordedChatRequest earlier = llama.requests().get(2);
            double trueRatio = (double) earlier.promptTokens() / ourCountOfRequest(earlier);
            // when
            ChatResponse response = group.chatModel().chat(ChatRequest.builder().messages(conversation(language, 15)).build());
            // then
            assertThat(learned).isCloseTo(trueRatio, org.assertj.core.data.Percentage.withPercentage(5));
            assertThat(group.health().get(1).stats().tokenRatioSamples()).isGreaterThanOrEqualTo(1);
            assertThat(((FailoverChatResponseMetadata) response.metadata()).targetName()).isEqualTo("llama");
            assertThat(llama.requestCount()).isEqualTo(4); // no 400: the long one fitted at once
            assertThat(llama.requests().get(3).promptTokens()).isLessThanOrEqualTo(4_096);
        }
    }

    @Test
    void should_leave_an_openai_named_targets_fitting_unchanged_when_its_usage_agrees() {
        // given: an OpenAI model on a server counting as we do (o200k)
        ChaosOpenAiServer openAi = start(ChaosOpenAiServer.builder().name("gpt").modelName("gpt-4o-mini").contextWindowTokens(4_096));
        FailoverTarget gpt = FailoverTarget.openAiCompatible("gpt").baseUrl(openAi.baseUrl()).apiKey("sk-test-gpt-0000000")
                .modelName("gpt-4o-mini").contextWindowTokens(4_096).build();
        try (FailoverGroup group = FailoverGroup.builder().targets(gpt).listener(events::add).build()) {
            // when
            for (int i = 0; i < 3; i++) {
                group.chatModel().chat(ChatRequest.builder().messages(conversation("vietnamese", 6)).build());
            }
            ChatResponse longOne = group.chatModel().chat(ChatRequest.builder().messages(conversation("vietnamese", 15)).build());
            // then
            assertThat(group.health().get(0).stats().tokenRatio()).isEqualTo(1.0);
            assertThat(longOne.aiMessage().text()).isNotBlank();
            assertThat(events).noneMatch(FailoverEvent.TokenRatioChanged.class::isInstance);
            assertThat(events).filteredOn(FailoverEvent.HistoryTruncated.class::isInstance)
                    .singleElement().satisfies(e -> assertThat(((FailoverEvent.HistoryTruncated) e).budgetTokens())
                            .isEqualTo(4_096 - 1_024)); // window − reserved output: no ratio, no margin (exact)
        }
    }

    /** Our o200k count of the messages a server recorded (text of each message by role, as the server counted it). */
    private static int ourCountOfRequest(RecordedChatRequest request) {
        List<ChatMessage> messages = new ArrayList<>();
        for (var node : request.bodyTree().get("messages")) {
            String role = node.get("role").asText();
            String content = node.get("content").asText();
            messages.add(switch (role) {
                case "system" -> SystemMessage.from(content);
                case "assistant" -> AiMessage.from(content);
                default -> UserMessage.from(content);
            });
        }
        return ourCount(request, messages);
    }
}
