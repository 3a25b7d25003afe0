package dev.failover4j.testkit;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Simulating a model whose server counts tokens differently from OpenAI's. cl100k stands in for a
 * Llama/Qwen-style tokenizer: on these texts it needs 1.66× o200k's prompt tokens for the Vietnamese
 * and 1.58× for the Chinese (1.70× and 1.59× on the bare text; the chat rule's fixed tokens dilute it).
 * A failing ratio assertion states the counts it saw.
 */
class TokenCountingTest {

    /** 426 chars of Vietnamese prose: o200k 130 tokens, cl100k 221. */
    static final String VIETNAMESE = "Hà Nội là thủ đô của Việt Nam, nằm bên bờ sông Hồng. Thành phố có lịch sử hơn "
            + "một nghìn năm, với nhiều đền chùa, hồ nước và những con phố cổ nhỏ hẹp. Mỗi sáng sớm, người dân đi bộ "
            + "quanh hồ Hoàn Kiếm, tập thể dục và uống cà phê ở các quán nhỏ ven đường. Ẩm thực Hà Nội nổi tiếng với "
            + "phở, bún chả và bánh cuốn. Du khách thường nói rằng cách tốt nhất để hiểu thành phố là đi chậm, quan "
            + "sát và trò chuyện với người dân địa phương.";

    /** 312 chars of Chinese prose: o200k 278 tokens, cl100k 442. */
    static final String CHINESE = "杭州位于中国东南沿海，是浙江省的省会，以西湖的美景闻名于世。春天，湖边的柳树发出新芽，"
            + "桃花盛开，游客们沿着苏堤慢慢散步，欣赏远处的青山和湖上的小船。夏天，荷花铺满湖面，傍晚时分，人们坐在岸边乘凉聊天，"
            + "孩子们在树下追逐嬉戏。秋天的桂花香气四溢，整座城市仿佛浸在甜甜的空气里。杭州也是茶叶之乡，龙井茶清香甘甜，"
            + "许多茶农世代在山间种茶、采茶和炒茶，每年清明前后是最忙碌的季节。近年来，这座城市发展迅速，互联网企业不断聚集，"
            + "地铁线路越来越多，但它依然保留着悠闲而温和的生活节奏。许多年轻人从外地来到这里工作，他们说，下班后在湖边走一走，"
            + "一天的疲劳就消失了。冬天偶尔下雪的时候，断桥上挤满了拍照的人，白雪覆盖的湖面安静得像一幅水墨画。";

    private static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    private static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private final List<AutoCloseable> endpoints = new ArrayList<>();

    @AfterEach
    void closeEndpoints() throws Exception {
        for (AutoCloseable endpoint : endpoints) {
            endpoint.close();
        }
    }

    private ChaosOpenAiServer start(ChaosOpenAiServer.Builder builder) {
        ChaosOpenAiServer server = builder.build().start();
        endpoints.add(server);
        return server;
    }

    /** jtokkit's own count of one user message by OpenAI's chat rule: priming 3 + per message 3 + role + content. */
    private static int userPrompt(Encoding encoding, String text) {
        return 3 + 3 + encoding.countTokensOrdinary("user") + encoding.countTokensOrdinary(text);
    }

    private static ChatResponse ask(ChaosOpenAiServer server, String text) {
        return Clients.chatModel(server.baseUrl()).chat(ChatRequest.builder().messages(UserMessage.from(text)).build());
    }

    @Test
    void should_report_cl100k_prompt_tokens_above_o200k_when_the_prompt_is_vietnamese_or_chinese() {
        // given
        ChaosOpenAiServer openAi = start(ChaosOpenAiServer.builder().name("openai"));
        ChaosOpenAiServer llama = start(ChaosOpenAiServer.builder().name("llama")
                .tokenCounting(EncodingType.CL100K_BASE));

        for (Map.Entry<String, String> sample : List.of(Map.entry("vietnamese", VIETNAMESE),
                Map.entry("chinese", CHINESE))) {
            String language = sample.getKey();
            String text = sample.getValue();

            // when
            int o200k = ask(openAi, text).tokenUsage().inputTokenCount();
            int cl100k = ask(llama, text).tokenUsage().inputTokenCount();

            // then
            double ratio = (double) cl100k / o200k;
            assertThat(o200k).isEqualTo(userPrompt(O200K, text));
            assertThat(cl100k).isEqualTo(userPrompt(CL100K, text));
            // observed 1.66 (vietnamese, 228/137) and 1.58 (chinese, 449/285)
            assertThat(ratio).as("%s cl100k/o200k = %d/%d = %.2f", language, cl100k, o200k, ratio).isGreaterThan(1.4);
        }
        assertThat(llama.requests()).extracting(RecordedChatRequest::promptTokens)
                .containsExactly(userPrompt(CL100K, VIETNAMESE), userPrompt(CL100K, CHINESE));
    }

    @Test
    void should_count_completion_tokens_with_the_chosen_encoding_when_the_reply_is_vietnamese() {
        // given
        ChaosOpenAiServer llama = start(ChaosOpenAiServer.builder().tokenCounting(EncodingType.CL100K_BASE)
                .replyText(VIETNAMESE));

        // when
        ChatResponse response = ask(llama, "Kể cho tôi về Hà Nội.");

        // then
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(CL100K.countTokensOrdinary(VIETNAMESE))
                .isGreaterThan(O200K.countTokensOrdinary(VIETNAMESE));
    }

    @Test
    void should_reject_a_prompt_that_o200k_lets_through_when_a_4096_window_is_counted_with_cl100k() {
        // given: 25 paragraphs of Vietnamese, about 3,300 o200k tokens and 5,500 cl100k tokens
        String prompt = String.join(" ", Collections.nCopies(25, VIETNAMESE));
        int o200k = userPrompt(O200K, prompt);
        int cl100k = userPrompt(CL100K, prompt);
        assertThat(o200k).isLessThanOrEqualTo(4096);
        assertThat(cl100k).isGreaterThan(4096);
        ChaosOpenAiServer openAi = start(ChaosOpenAiServer.builder().name("openai").contextWindowTokens(4096));
        ChaosOpenAiServer llama = start(ChaosOpenAiServer.builder().name("llama").contextWindowTokens(4096)
                .tokenCounting(EncodingType.CL100K_BASE));

        // when
        ChatResponse fits = ask(openAi, prompt);
        Throwable rejected = catchThrowable(() -> ask(llama, prompt));

        // then
        assertThat(fits.tokenUsage().inputTokenCount()).isEqualTo(o200k);
        assertThat(rejected).isInstanceOf(InvalidRequestException.class);
        assertThat(rejected.getCause().getMessage()).contains("\"code\":\"context_length_exceeded\"")
                .contains("This model's maximum context length is 4096 tokens. However, your messages resulted in "
                        + cl100k + " tokens.");
        assertThat(llama.stats().faultCount(FaultKind.CONTEXT_LENGTH_EXCEEDED)).isEqualTo(1);
    }

    @Test
    void should_reproduce_the_cookbook_count_for_gpt_4_when_counting_with_cl100k() throws Exception {
        // given: the OpenAI cookbook example, 129 tokens for gpt-4 / gpt-3.5-turbo (cl100k)
        ChaosOpenAiServer server = start(ChaosOpenAiServer.builder().tokenCounting(EncodingType.CL100K_BASE));
        String body = """
                {"model":"gpt-4","messages":[
                 {"role":"system","content":"You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
                 {"role":"system","name":"example_user","content":"New synergies will help drive top-line growth."},
                 {"role":"system","name":"example_assistant","content":"Things working well together will increase revenue."},
                 {"role":"system","name":"example_user","content":"Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
                 {"role":"system","name":"example_assistant","content":"Let's talk later when we're less busy about how to do better."},
                 {"role":"user","content":"This late pivot means we don't have time to boil the ocean for the client deliverable."}
                ]}""";

        // when
        var response = Clients.post(server.baseUrl() + "/chat/completions", body);

        // then
        assertThat(response.body()).contains("\"prompt_tokens\":129");
    }

    @Test
    void should_count_with_the_custom_counter_and_keep_the_chat_rule_when_given_a_text_counter() {
        // given: one token per character
        ChaosOpenAiServer server = start(ChaosOpenAiServer.builder().tokenCounting(String::length)
                .replyText("abcdefghij"));
        var model = Clients.chatModel(server.baseUrl());

        // when
        ChatResponse full = model.chat(ChatRequest.builder().messages(UserMessage.from("Xin chào")).build());
        ChatResponse cut = model.chat(ChatRequest.builder().maxOutputTokens(4)
                .messages(UserMessage.from("Xin chào")).build());

        // then: 3 priming + 3 per message + "user" + "Xin chào"
        assertThat(full.tokenUsage().inputTokenCount()).isEqualTo(3 + 3 + 4 + 8);
        assertThat(full.tokenUsage().outputTokenCount()).isEqualTo(10);
        assertThat(cut.aiMessage().text()).isEqualTo("abcd");
        assertThat(cut.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(cut.tokenUsage().outputTokenCount()).isEqualTo(4);
    }

    @Test
    void should_answer_500_when_the_custom_counter_returns_a_negative_count() {
        // given
        ChaosOpenAiServer server = start(ChaosOpenAiServer.builder().tokenCounting(text -> -1));

        // when
        Throwable t = catchThrowable(() -> ask(server, "hi"));

        // then
        assertThat(t).isInstanceOf(InternalServerException.class);
    }

    @Test
    void should_count_forwarded_prompts_with_cl100k_when_the_proxy_is_told_how_the_upstream_counts() {
        // given
        ChaosOpenAiServer upstream = start(ChaosOpenAiServer.builder().tokenCounting(EncodingType.CL100K_BASE));
        ChaosProxy proxy = ChaosProxy.builder().upstream(upstream.baseUrl()).tokenCounting(EncodingType.CL100K_BASE)
                .build().start();
        endpoints.add(proxy);
        int cl100k = userPrompt(CL100K, CHINESE);
        proxy.injectNext(1, Fault.contextLengthAbove(cl100k - 1));

        // when
        Throwable rejected = catchThrowable(() -> Clients.chatModel(proxy.baseUrl())
                .chat(ChatRequest.builder().messages(UserMessage.from(CHINESE)).build()));
        ChatResponse relayed = Clients.chatModel(proxy.baseUrl())
                .chat(ChatRequest.builder().messages(UserMessage.from(CHINESE)).build());

        // then
        assertThat(rejected).isInstanceOf(InvalidRequestException.class);
        assertThat(rejected.getCause().getMessage())
                .contains("However, your messages resulted in " + cl100k + " tokens.");
        assertThat(proxy.requests()).extracting(RecordedChatRequest::promptTokens).containsExactly(cl100k, cl100k);
        assertThat(relayed.tokenUsage().inputTokenCount()).isEqualTo(cl100k);
    }

    @Test
    void should_reject_a_null_counting_when_building() {
        assertThatThrownBy(() -> ChaosOpenAiServer.builder().tokenCounting((EncodingType) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("encoding");
        assertThatThrownBy(() -> ChaosProxy.builder().tokenCounting((ToIntFunction<String>) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("textCounter");
    }
}
