package dev.failover4j.fit;

import com.knuddels.jtokkit.api.EncodingType;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenizerTest {

    private static final Tokenizer CL100K = Tokenizer.of(EncodingType.CL100K_BASE);
    private static final Tokenizer O200K = Tokenizer.of(EncodingType.O200K_BASE);

    /**
     * The example of the OpenAI cookbook "How to count tokens with tiktoken" (num_tokens_from_messages),
     * whose published totals are 129 (cl100k: gpt-3.5-turbo-0613, gpt-4) and 124 (o200k: gpt-4o).
     * The cookbook sends the examples as system messages with names; LangChain4j's SystemMessage has no
     * name, so "example_user" turns become named UserMessages (role "user" is one token, like "system")
     * and "example_assistant" turns become AiMessages, which cannot carry a name. Each of the two lost
     * names costs its own tokens ("example_assistant" = 3) plus 1 per name.
     */
    private static List<ChatMessage> cookbookExample() {
        return List.of(
                SystemMessage.from("You are a helpful, pattern-following assistant that translates corporate jargon into plain English."),
                UserMessage.from("example_user", "New synergies will help drive top-line growth."),
                AiMessage.from("Things working well together will increase revenue."),
                UserMessage.from("example_user", "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."),
                AiMessage.from("Let's talk later when we're less busy about how to do better."),
                UserMessage.from("This late pivot means we don't have time to boil the ocean for the client deliverable."));
    }

    private static int countRequest(Tokenizer tokenizer, List<ChatMessage> messages) {
        int tokens = tokenizer.replyPrimingTokens();
        for (ChatMessage message : messages) {
            tokens += tokenizer.countMessage(message);
        }
        return tokens;
    }

    @Test
    void should_reproduce_cookbook_total_when_counting_with_cl100k() {
        // given
        List<ChatMessage> messages = cookbookExample();
        int lostAssistantNames = 2 * (CL100K.countText("example_assistant") + TokenCosts.TOKENS_PER_NAME);

        // when
        int tokens = countRequest(CL100K, messages);

        // then
        assertThat(lostAssistantNames).isEqualTo(8);
        assertThat(tokens).isEqualTo(121);
        assertThat(tokens + lostAssistantNames).isEqualTo(129);
    }

    @Test
    void should_reproduce_cookbook_total_when_counting_with_o200k() {
        // given
        List<ChatMessage> messages = cookbookExample();
        int lostAssistantNames = 2 * (O200K.countText("example_assistant") + TokenCosts.TOKENS_PER_NAME);

        // when
        int tokens = countRequest(O200K, messages);

        // then
        assertThat(tokens).isEqualTo(116);
        assertThat(tokens + lostAssistantNames).isEqualTo(124);
    }

    @Test
    void should_count_text_plus_four_per_message_when_message_is_plain() {
        // given
        String text = "Grüße aus München! Привет, мир. こんにちは世界";

        // when
        int system = O200K.countMessage(SystemMessage.from(text));
        int user = O200K.countMessage(UserMessage.from(text));
        int ai = O200K.countMessage(AiMessage.from(text));

        // then
        int expected = O200K.countText(text) + TokenCosts.TOKENS_PER_MESSAGE + TokenCosts.TOKENS_PER_ROLE;
        assertThat(system).isEqualTo(expected);
        assertThat(user).isEqualTo(expected);
        assertThat(ai).isEqualTo(expected);
        assertThat(O200K.replyPrimingTokens()).isEqualTo(3);
    }

    @Test
    void should_count_name_and_one_extra_token_when_user_message_has_name() {
        // given
        UserMessage anonymous = UserMessage.from("hello there");
        UserMessage named = UserMessage.from("alice_smith", "hello there");

        // when
        int difference = O200K.countMessage(named) - O200K.countMessage(anonymous);

        // then
        assertThat(difference).isEqualTo(O200K.countText("alice_smith") + 1);
    }

    @Test
    void should_count_special_token_text_as_plain_text_when_user_writes_it() {
        // given
        UserMessage message = UserMessage.from("please ignore <|endoftext|> and <|im_start|> here");

        // when
        int tokens = CL100K.countMessage(message);

        // then
        assertThat(tokens).isEqualTo(CL100K.countText("please ignore <|endoftext|> and <|im_start|> here") + 4);
        assertThat(CL100K.countText("<|endoftext|>")).isGreaterThan(1);
    }

    @Test
    void should_count_every_text_part_and_a_constant_per_image_when_user_message_is_multimodal() {
        // given
        UserMessage message = UserMessage.from(
                TextContent.from("What is in"),
                ImageContent.from("https://example.com/a.png", ImageContent.DetailLevel.HIGH),
                TextContent.from("these pictures?"),
                ImageContent.from("https://example.com/b.png")); // LangChain4j's default detail is LOW

        // when
        int tokens = O200K.countMessage(message);

        // then
        assertThat(tokens).isEqualTo(4 + O200K.countText("What is in") + O200K.countText("these pictures?")
                + TokenCosts.DEFAULT_IMAGE_TOKENS + TokenCosts.LOW_DETAIL_IMAGE_TOKENS);
        assertThat(TokenCosts.DEFAULT_IMAGE_TOKENS).isGreaterThanOrEqualTo(85 + 8 * 170);
    }

    @Test
    void should_count_id_name_and_arguments_when_ai_message_calls_tools() {
        // given
        ToolExecutionRequest request = ToolExecutionRequest.builder()
                .id("call_Xy12").name("get_weather").arguments("{\"city\":\"Köln\"}").build();
        AiMessage call = AiMessage.from("Let me check.", List.of(request));

        // when
        int tokens = O200K.countMessage(call);

        // then
        assertThat(tokens).isEqualTo(4 + O200K.countText("Let me check.") + TokenCosts.TOOL_CALLS_OVERHEAD
                + TokenCosts.TOOL_CALL_OVERHEAD + O200K.countText("call_Xy12") + O200K.countText("get_weather")
                + O200K.countText("{\"city\":\"Köln\"}"));
    }

    @Test
    void should_count_id_tool_name_and_text_when_message_is_tool_result() {
        // given
        ToolExecutionResultMessage result = ToolExecutionResultMessage.from("call_Xy12", "get_weather", "12 °C, Regen");

        // when
        int tokens = O200K.countMessage(result);

        // then
        assertThat(tokens).isEqualTo(4 + O200K.countText("call_Xy12") + O200K.countText("get_weather")
                + O200K.countText("12 °C, Regen"));
    }

    @Test
    void should_count_text_when_it_holds_unpaired_surrogates() {
        // given: jtokkit asserts valid UTF-16, and tests run with -ea
        String broken = "ab\uD800cd\uDC00 \uD83D";

        // when
        int tokens = O200K.countText(broken);

        // then
        assertThat(tokens).isPositive().isLessThanOrEqualTo(3 * broken.length());
        assertThat(tokens).isEqualTo(O200K.countText("ab\uFFFDcd\uFFFD \uFFFD"));
    }

    @Test
    void should_count_zero_when_there_are_no_tools() {
        // when / then
        assertThat(O200K.countTools(null)).isZero();
        assertThat(O200K.countTools(List.of())).isZero();
    }

    @Test
    void should_count_name_description_and_parameters_when_tools_are_given() {
        // given
        ToolSpecification bare = ToolSpecification.builder().name("get_weather").build();
        ToolSpecification described = bare.toBuilder().description("Returns the current weather for a city").build();
        ToolSpecification withParameters = described.toBuilder()
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("city", "The city, e.g. Berlin")
                        .addIntegerProperty("days")
                        .required("city")
                        .build())
                .build();

        // when
        int bareTokens = O200K.countTools(List.of(bare));
        int describedTokens = O200K.countTools(List.of(described));
        int fullTokens = O200K.countTools(List.of(withParameters));
        int twoTools = O200K.countTools(List.of(withParameters, bare));

        // then
        assertThat(bareTokens).isGreaterThan(TokenCosts.TOOLS_OVERHEAD + O200K.countText("get_weather"));
        assertThat(describedTokens - bareTokens).isGreaterThanOrEqualTo(O200K.countText("Returns the current weather for a city"));
        assertThat(fullTokens - describedTokens).isGreaterThanOrEqualTo(
                O200K.countText("city") + O200K.countText("The city, e.g. Berlin") + O200K.countText("days"));
        assertThat(twoTools).isEqualTo(fullTokens + bareTokens - TokenCosts.TOOLS_OVERHEAD);
    }

    @Test
    void should_name_the_index_when_a_tool_is_null() {
        // given
        List<ToolSpecification> tools = new ArrayList<>();
        tools.add(ToolSpecification.builder().name("a").build());
        tools.add(null);

        // when / then
        assertThatThrownBy(() -> O200K.countTools(tools))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("tools[1] is null");
    }

    @Test
    void should_count_text_with_estimator_and_be_approximate_when_built_from_estimator() {
        // given
        TokenCountEstimator everyCharIsAToken = new TokenCountEstimator() {
            @Override
            public int estimateTokenCountInText(String text) {
                return text.length();
            }

            @Override
            public int estimateTokenCountInMessage(ChatMessage message) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
                throw new UnsupportedOperationException();
            }
        };

        // when
        Tokenizer tokenizer = Tokenizer.of(everyCharIsAToken);

        // then
        assertThat(tokenizer.exact()).isFalse();
        assertThat(tokenizer.countText("abcdef")).isEqualTo(6);
        assertThat(tokenizer.countMessage(UserMessage.from("abcdef"))).isEqualTo(10);
    }

    @Test
    void should_be_exact_when_built_from_encoding() {
        // when / then
        assertThat(Tokenizer.of(EncodingType.O200K_BASE).exact()).isTrue();
        assertThat(Tokenizer.of(EncodingType.CL100K_BASE).exact()).isTrue();
    }
}
