package dev.failover4j.fit;

import com.knuddels.jtokkit.api.EncodingType;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextFitterTest {

    private static final Tokenizer O200K = Tokenizer.of(EncodingType.O200K_BASE);

    private static final SystemMessage SYSTEM = SystemMessage.from("You are a terse assistant.");

    private static int total(Tokenizer tokenizer, List<ChatMessage> messages, List<ToolSpecification> tools) {
        int tokens = tokenizer.replyPrimingTokens() + tokenizer.countTools(tools);
        for (ChatMessage message : messages) {
            tokens += tokenizer.countMessage(message);
        }
        return tokens;
    }

    private static List<ChatMessage> conversation(int turns) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SYSTEM);
        for (int i = 0; i < turns; i++) {
            messages.add(UserMessage.from("Question number " + i + ": wie spät ist es in Tokio? 今何時ですか"));
            messages.add(AiMessage.from("Answer number " + i + ": it is late. Уже поздно."));
        }
        return messages;
    }

    private static List<ChatMessage> toolTurn(String id) {
        ToolExecutionRequest a = ToolExecutionRequest.builder().id(id + "a").name("lookup").arguments("{\"q\":\"x\"}").build();
        ToolExecutionRequest b = ToolExecutionRequest.builder().id(id + "b").name("lookup").arguments("{\"q\":\"y\"}").build();
        return List.of(
                UserMessage.from("Look up x and y, please, with all the details you can find " + id),
                AiMessage.from(List.of(a, b)),
                ToolExecutionResultMessage.from(a, "result for x " + "lorem ipsum ".repeat(20)),
                ToolExecutionResultMessage.from(b, "result for y " + "dolor sit ".repeat(20)),
                AiMessage.from("x and y are fine " + id));
    }

    @Test
    void should_return_the_same_list_instance_when_everything_fits() {
        // given
        List<ChatMessage> messages = conversation(5);
        List<ChatMessage> copy = List.copyOf(messages);

        // when
        FitResult result = ContextFitter.of(O200K).fit(messages, null, 100_000);

        // then
        assertThat(result.fits()).isTrue();
        assertThat(result.truncated()).isFalse();
        assertThat(result.messages()).isSameAs(messages);
        assertThat(messages).containsExactlyElementsOf(copy);
        assertThat(result.messagesAfter()).isEqualTo(result.messagesBefore()).isEqualTo(11);
    }

    @Test
    void should_encode_nothing_and_report_an_upper_bound_when_the_cheap_bound_fits() {
        // given
        List<ChatMessage> messages = conversation(5);
        ContextFitter fitter = ContextFitter.of(O200K);
        int exact = total(O200K, messages, null);

        // when
        FitResult result = fitter.fit(messages, null, 100_000);

        // then
        assertThat(fitter.cachedMessageCounts()).isZero();
        assertThat(result.tokensAfterExact()).isFalse();
        assertThat(result.tokensBeforeExact()).isFalse();
        assertThat(result.tokensAfter()).isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo(100_000);
    }

    @Test
    void should_count_exactly_and_keep_everything_when_total_fits_but_bound_does_not() {
        // given
        List<ChatMessage> messages = conversation(5);
        int exact = total(O200K, messages, null);

        // when
        FitResult result = ContextFitter.of(O200K).fit(messages, null, exact);

        // then
        assertThat(result.messages()).isSameAs(messages);
        assertThat(result.tokensAfter()).isEqualTo(exact);
        assertThat(result.tokensAfterExact()).isTrue();
        assertThat(result.tokensBefore()).isEqualTo(exact);
        assertThat(result.tokensBeforeExact()).isTrue();
    }

    @Test
    void should_drop_oldest_turns_and_keep_system_message_when_budget_is_short() {
        // given
        List<ChatMessage> messages = conversation(10);
        List<ChatMessage> copy = List.copyOf(messages);
        List<ChatMessage> lastThreeTurns = messages.subList(15, 21);
        int budget = total(O200K, List.of(SYSTEM), null) + total(O200K, lastThreeTurns, null) - 3 + 5;

        // when
        FitResult result = ContextFitter.of(O200K).fit(messages, null, budget);

        // then
        assertThat(result.fits()).isTrue();
        assertThat(result.truncated()).isTrue();
        assertThat(result.messages().get(0)).isSameAs(SYSTEM);
        assertThat(result.messages().subList(1, result.messagesAfter())).containsExactlyElementsOf(lastThreeTurns);
        assertThat(result.tokensAfter()).isEqualTo(total(O200K, result.messages(), null)).isLessThanOrEqualTo(budget);
        assertThat(result.tokensBeforeExact()).isFalse();
        assertThat(result.tokensBefore()).isGreaterThan(budget).isLessThanOrEqualTo(total(O200K, messages, null));
        assertThat(messages).containsExactlyElementsOf(copy);
        assertThatThrownBy(() -> result.messages().add(SYSTEM)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void should_keep_or_drop_a_tool_call_with_all_of_its_results_when_cutting_through_it() {
        // given
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SYSTEM);
        messages.addAll(toolTurn("old"));
        messages.addAll(toolTurn("new"));
        List<ChatMessage> newTurn = messages.subList(6, 11);
        // room for the newest turn plus the old turn's last AI message and one tool result, not the whole group
        int budget = total(O200K, List.of(SYSTEM), null) + total(O200K, newTurn, null) - 3
                + O200K.countMessage(messages.get(5)) + O200K.countMessage(messages.get(4));

        // when
        FitResult result = ContextFitter.builder().tokenizer(O200K).startWithUserMessage(false).build()
                .fit(messages, null, budget);

        // then: the trailing AI text of the old turn fits alone, the tool group does not
        assertThat(result.messages()).containsExactly(SYSTEM, messages.get(5), messages.get(6), messages.get(7),
                messages.get(8), messages.get(9), messages.get(10));
    }

    @Test
    void should_start_history_with_a_user_message_when_cut_leaves_ai_messages_first() {
        // given
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SYSTEM);
        messages.addAll(toolTurn("old"));
        messages.addAll(toolTurn("new"));
        int budget = total(O200K, messages, null) - O200K.countMessage(messages.get(1));

        // when
        FitResult withRule = ContextFitter.of(O200K).fit(messages, null, budget);
        FitResult withoutRule = ContextFitter.builder().tokenizer(O200K).startWithUserMessage(false).build()
                .fit(messages, null, budget);

        // then
        assertThat(withoutRule.messages()).containsExactlyElementsOf(
                concat(List.of(SYSTEM), messages.subList(2, 11)));
        assertThat(withRule.messages()).containsExactlyElementsOf(concat(List.of(SYSTEM), messages.subList(6, 11)));
        assertThat(withRule.tokensAfter()).isEqualTo(total(O200K, withRule.messages(), null));
    }

    @Test
    void should_keep_system_messages_from_the_middle_of_the_history_when_their_turn_is_dropped() {
        // given
        SystemMessage late = SystemMessage.from("From now on, answer in German.");
        List<ChatMessage> messages = new ArrayList<>(conversation(6));
        messages.add(5, late);
        int budget = total(O200K, List.of(SYSTEM, late), null) + total(O200K, messages.subList(10, 14), null) - 3;

        // when
        FitResult result = ContextFitter.of(O200K).fit(messages, null, budget);

        // then
        assertThat(result.messages()).containsExactly(SYSTEM, late, messages.get(10), messages.get(11), messages.get(12),
                messages.get(13));
    }

    @Test
    void should_not_fit_and_report_required_tokens_when_system_and_newest_turn_exceed_budget() {
        // given
        List<ChatMessage> messages = conversation(3);
        int required = total(O200K, List.of(SYSTEM, messages.get(5), messages.get(6)), null);

        // when
        FitResult result = ContextFitter.of(O200K).fit(messages, null, required - 1);

        // then
        assertThat(result.fits()).isFalse();
        assertThat(result.messages()).isEmpty();
        assertThat(result.truncated()).isFalse();
        assertThat(result.requiredTokens()).isEqualTo(required);
        assertThat(result.budgetTokens()).isEqualTo(required - 1);
    }

    @Test
    void should_count_tools_into_the_budget_when_tools_are_given() {
        // given
        List<ChatMessage> messages = conversation(3);
        List<ToolSpecification> tools = List.of(ToolSpecification.builder()
                .name("search_web").description("Searches the web for a query and returns the top results").build());
        int withoutTools = total(O200K, messages, null);

        // when
        FitResult result = ContextFitter.of(O200K).fit(messages, tools, withoutTools);

        // then
        assertThat(result.truncated()).isTrue();
        assertThat(result.tokensAfter()).isEqualTo(total(O200K, result.messages(), tools)).isLessThanOrEqualTo(withoutTools);
    }

    @Test
    void should_keep_the_last_unit_when_history_has_no_user_message() {
        // given
        List<ChatMessage> messages = List.of(SYSTEM, AiMessage.from("first " + "x ".repeat(50)), AiMessage.from("second"));

        // when
        FitResult result = ContextFitter.of(O200K).fit(messages, null, total(O200K, List.of(SYSTEM, messages.get(2)), null));

        // then
        assertThat(result.messages()).containsExactly(SYSTEM, messages.get(2));
    }

    @Test
    void should_keep_an_orphan_tool_result_when_it_is_within_the_newest_turn() {
        // given
        ToolExecutionResultMessage orphan = ToolExecutionResultMessage.from("call_1", "lookup", "stray");
        List<ChatMessage> messages = List.of(UserMessage.from("old " + "y ".repeat(50)), UserMessage.from("new"), orphan);

        // when
        FitResult result = ContextFitter.of(O200K).fit(messages, null, total(O200K, messages.subList(1, 3), null));

        // then
        assertThat(result.messages()).containsExactly(messages.get(1), orphan);
    }

    @Test
    void should_re_encode_only_the_new_message_when_conversation_grows() {
        // given
        CountingTokenizer tokenizer = new CountingTokenizer(O200K);
        ContextFitter fitter = ContextFitter.of(tokenizer);
        List<ChatMessage> history = conversation(20);
        fitter.fit(history, null, 1_000_000);
        int countedFirst = tokenizer.messageCounts.getAndSet(0);
        List<ChatMessage> grown = new ArrayList<>(history);
        grown.add(UserMessage.from("And one more question?"));

        // when
        FitResult result = fitter.fit(grown, null, 1_000_000);

        // then
        assertThat(countedFirst).isEqualTo(history.size());
        assertThat(tokenizer.messageCounts.get()).isEqualTo(1);
        assertThat(result.messages()).isSameAs(grown);
    }

    @Test
    void should_count_only_the_newest_messages_when_a_long_history_meets_a_small_budget() {
        // given
        CountingTokenizer tokenizer = new CountingTokenizer(O200K);
        List<ChatMessage> history = conversation(5_000);
        int budget = 500;

        // when
        FitResult result = ContextFitter.of(tokenizer).fit(history, null, budget);

        // then
        assertThat(result.truncated()).isTrue();
        assertThat(tokenizer.messageCounts.get()).isLessThan(40);
        assertThat(result.tokensBeforeExact()).isFalse();
    }

    @Test
    void should_count_tool_specifications_once_when_the_same_tools_come_again() {
        // given
        CountingTokenizer tokenizer = new CountingTokenizer(O200K);
        ContextFitter fitter = ContextFitter.of(tokenizer);
        List<ToolSpecification> tools = List.of(ToolSpecification.builder().name("a").build());

        // when
        fitter.fit(conversation(1), tools, 10_000);
        fitter.fit(conversation(2), new ArrayList<>(tools), 10_000);

        // then
        assertThat(tokenizer.toolCounts.get()).isEqualTo(1);
    }

    @Test
    void should_fit_a_linked_list_and_return_it_when_everything_fits() {
        // given
        LinkedList<ChatMessage> messages = new LinkedList<>(conversation(3));

        // when
        FitResult result = ContextFitter.of(new CountingTokenizer(O200K)).fit(messages, null, 10_000);

        // then
        assertThat(result.messages()).isSameAs(messages);
    }

    @Test
    void should_name_the_index_when_a_message_is_null() {
        // given
        List<ChatMessage> messages = new ArrayList<>(conversation(2));
        messages.set(3, null);

        // when / then
        assertThatThrownBy(() -> ContextFitter.of(O200K).fit(messages, null, 1000))
                .isInstanceOf(NullPointerException.class).hasMessage("messages[3] is null");
    }

    @Test
    void should_reject_missing_or_empty_messages_when_fitting() {
        // given
        ContextFitter fitter = ContextFitter.of(O200K);

        // when / then
        assertThatThrownBy(() -> fitter.fit(null, null, 1000))
                .isInstanceOf(NullPointerException.class).hasMessage("messages must not be null");
        assertThatThrownBy(() -> fitter.fit(List.of(), null, 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("messages must not be empty");
    }

    @Test
    void should_name_the_index_when_a_tool_is_null() {
        // given
        List<ToolSpecification> tools = new ArrayList<>();
        tools.add(null);

        // when / then
        assertThatThrownBy(() -> ContextFitter.of(O200K).fit(conversation(1), tools, 1000))
                .isInstanceOf(NullPointerException.class).hasMessage("tools[0] is null");
    }

    @Test
    void should_name_the_value_when_budget_is_negative() {
        // when / then
        assertThatThrownBy(() -> ContextFitter.of(O200K).fit(conversation(1), null, -5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("budgetTokens must be >= 0 but was -5");
    }

    @Test
    void should_reject_bad_builder_values_when_building() {
        // when / then
        assertThatThrownBy(() -> ContextFitter.builder().cacheSize(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cacheSize must be >= 0 but was -1");
        assertThatThrownBy(() -> ContextFitter.builder().build())
                .isInstanceOf(NullPointerException.class).hasMessage("tokenizer must not be null");
    }

    private static List<ChatMessage> concat(List<ChatMessage> a, List<ChatMessage> b) {
        List<ChatMessage> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
