package dev.failover4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.FailoverTarget;
import dev.failover4j.FittingConfig;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * With a token ratio applied, a fitted request is never over the target's budget by the provider's count (the
 * oracle: the provider counts {@code ratio ×} ours), the newest turn and the system message are always kept, and a
 * ratio of 1 fits exactly as before.
 */
class CalibratedFittingPropertyTest {

    private static final String[] TEXTS = {
            "Hello, how are you today?", "Hà Nội là thủ đô của Việt Nam, nằm bên bờ sông Hồng.",
            "杭州位于中国东南沿海，是浙江省的省会，以西湖的美景闻名于世。", "Привет! Как дела с проектом?",
            "Der Kunde möchte die Lieferung auf nächste Woche verschieben.", "{\"status\":\"ok\",\"items\":[1,2,3]}",
    };

    private static final ChatModel NONE = new ChatModel() {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void should_never_exceed_the_budget_by_the_providers_count_when_a_ratio_is_applied() {
        Random random = new Random(20261201L);
        int truncated = 0;
        for (int run = 0; run < 300; run++) {
            // given
            double ratio = 1.0 + random.nextInt(300) / 100.0; // 1.00 .. 3.99
            int window = 1_000 + random.nextInt(6_000);
            FailoverTarget target = FailoverTarget.builder().name("t").chatModel(NONE).modelName("llama-3-70b")
                    .contextWindowTokens(window).tokenRatio(ratio).build();
            TargetFitter fitter = new TargetFitter(target, FittingConfig.defaults());
            List<ChatMessage> messages = history(random);
            int modelBudget = window - FittingConfig.defaults().reservedOutputTokens(window) - target.safetyMarginTokens();
            // when
            TargetFitter.Fitted fitted = fitter.fit(ChatRequest.builder().messages(messages).build());
            // then
            if (!fitted.fits()) {
                continue;
            }
            int ours = fitter.countExactly(fitted.request());
            assertThat(ours * ratio).as("run %d, ratio %.2f, window %d", run, ratio, window).isLessThanOrEqualTo(modelBudget);
            List<ChatMessage> sent = fitted.request().messages();
            assertThat(sent.get(0)).isEqualTo(messages.get(0));
            assertThat(sent.get(sent.size() - 1)).isEqualTo(messages.get(messages.size() - 1));
            truncated += fitted.truncated() ? 1 : 0;
        }
        assertThat(truncated).as("cases that exercised truncation").isGreaterThan(50);
    }

    @Test
    void should_fit_exactly_as_without_calibration_when_the_ratio_is_one() {
        Random random = new Random(7L);
        for (int run = 0; run < 100; run++) {
            int window = 1_000 + random.nextInt(6_000);
            List<ChatMessage> messages = history(random);
            FailoverTarget plain = FailoverTarget.builder().name("t").chatModel(NONE).modelName("gpt-4o").contextWindowTokens(window).build();
            FailoverTarget one = FailoverTarget.builder().name("t").chatModel(NONE).modelName("gpt-4o").contextWindowTokens(window)
                    .tokenRatio(1.0).build();
            ChatRequest request = ChatRequest.builder().messages(messages).build();
            TargetFitter.Fitted a = new TargetFitter(plain, FittingConfig.defaults()).fit(request);
            TargetFitter.Fitted b = new TargetFitter(one, FittingConfig.defaults()).fit(request);
            assertThat(b.budgetTokens()).isEqualTo(a.budgetTokens());
            assertThat(b.fits() ? b.request().messages() : List.of()).isEqualTo(a.fits() ? a.request().messages() : List.of());
        }
    }

    private static List<ChatMessage> history(Random random) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from("system " + TEXTS[random.nextInt(TEXTS.length)]));
        int turns = 1 + random.nextInt(60);
        for (int i = 0; i < turns; i++) {
            messages.add(UserMessage.from(i + " " + text(random)));
            messages.add(AiMessage.from(i + " " + text(random)));
        }
        messages.add(UserMessage.from("last " + text(random)));
        return messages;
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        int parts = 1 + random.nextInt(8);
        for (int i = 0; i < parts; i++) {
            text.append(TEXTS[random.nextInt(TEXTS.length)]).append(' ');
        }
        return text.toString();
    }
}
