package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.fit.Tokenizer;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A tier of one model's deployments fits a request once, not once per candidate (what lowestCost() asks for). */
class SharedFitTest {

    /** Counts how many messages it was asked to count. */
    private static final class CountingTokenizer implements Tokenizer {
        final AtomicInteger messages = new AtomicInteger();
        private final Tokenizer delegate = Tokenizer.forModelName("gpt-4o-mini");

        @Override
        public int countText(String text) {
            return delegate.countText(text);
        }

        @Override
        public int countMessage(ChatMessage message) {
            messages.incrementAndGet();
            return delegate.countMessage(message);
        }

        @Override
        public int countTools(List<ToolSpecification> tools) {
            return delegate.countTools(tools);
        }

        @Override
        public int replyPrimingTokens() {
            return delegate.replyPrimingTokens();
        }

        @Override
        public boolean exact() {
            return true;
        }
    }

    private static final ChatModel ANSWERING = new ChatModel() {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            return ChatResponse.builder().aiMessage(AiMessage.from("ok")).build();
        }
    };

    /** A history long enough that fitting must count it (its cheap bound exceeds the 4k window). */
    private static ChatRequest longHistory() {
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            messages.add(UserMessage.from("question " + i + " " + "about the quarterly numbers ".repeat(20)));
            messages.add(AiMessage.from("answer " + i + " " + "the numbers went up ".repeat(20)));
        }
        messages.add(UserMessage.from("and now?"));
        return ChatRequest.builder().messages(messages).build();
    }

    private static int messagesCounted(int targets) {
        CountingTokenizer tokenizer = new CountingTokenizer();
        List<FailoverTarget> tier = new ArrayList<>();
        for (int i = 0; i < targets; i++) {
            tier.add(FailoverTarget.builder().name("t" + i).chatModel(ANSWERING).modelName("gpt-4o-mini").contextWindowTokens(4_000)
                    .maxOutputTokens(500).tokenizer(tokenizer).priority(0)
                    .price(TokenPrice.perMillion(String.valueOf(1 + i), "1")).build());
        }
        try (FailoverGroup group = FailoverGroup.builder().targets(tier).routing(RoutingStrategy.lowestCost()).build()) {
            ChatResponse response = group.chatModel().chat(longHistory());
            assertThat(((FailoverChatResponseMetadata) response.metadata()).targetName()).isEqualTo("t0"); // the cheapest
        }
        return tokenizer.messages.get();
    }

    @Test
    void should_fit_a_request_once_for_a_tier_of_targets_that_count_alike() {
        int one = messagesCounted(1);
        int eight = messagesCounted(8);
        assertThat(one).isPositive();
        assertThat(eight).isEqualTo(one);
    }
}
