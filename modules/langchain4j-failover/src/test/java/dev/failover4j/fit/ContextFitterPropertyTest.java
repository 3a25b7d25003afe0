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
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fits 500 seeded random histories (system messages, plain turns, tool groups with 1–3 results,
 * mixed-language text) into random budgets and checks every rule of fitting against an independent
 * oracle built from {@link Tokenizer#countMessage}.
 */
class ContextFitterPropertyTest {

    private static final String[] TEXTS = {
            "Hello, how are you today?", "Könnten Sie mir bitte die Rechnung für März schicken?",
            "Привет! Как дела с проектом?", "今日はとても良い天気ですね。散歩に行きましょう。",
            "The quick brown fox jumps over the lazy dog.", "🙂🚀 emojis 👩‍💻 and symbols ∑∫√",
            "Der Kunde möchte die Lieferung auf nächste Woche verschieben.", "Спасибо, всё понятно.",
            "東京の人口は約一千四百万人です。", "{\"status\":\"ok\",\"items\":[1,2,3]}",
    };

    private static final List<ToolSpecification> TOOLS = List.of(
            ToolSpecification.builder().name("lookup").description("Looks something up").build());

    /** A generated history with the units the generator knows it built. */
    private record Generated(List<ChatMessage> messages, List<int[]> units) {
    }

    @Test
    void should_obey_every_fitting_rule_when_fitting_random_histories_into_random_budgets() {
        Random random = new Random(20261123L);
        Tokenizer o200k = Tokenizer.of(EncodingType.O200K_BASE);
        Tokenizer cl100k = Tokenizer.of(EncodingType.CL100K_BASE);
        int truncatedCases = 0;
        int tooSmallCases = 0;
        int untouchedCases = 0;
        for (int run = 0; run < 500; run++) {
            // given
            Generated generated = generate(random);
            List<ChatMessage> messages = generated.messages();
            List<ChatMessage> copy = List.copyOf(messages);
            Tokenizer tokenizer = switch (run % 3) {
                case 0 -> o200k;
                case 1 -> cl100k;
                default -> new CountingTokenizer(o200k);
            };
            boolean startWithUser = random.nextInt(4) != 0;
            List<ToolSpecification> tools = random.nextBoolean() ? TOOLS : null;
            int[] counts = counts(tokenizer, messages);
            int fixed = fixed(tokenizer, tools);
            int total = fixed + sumCounts(counts, messages, 0);
            int budget = random.nextInt(total + 40);
            ContextFitter fitter = ContextFitter.builder().tokenizer(tokenizer).startWithUserMessage(startWithUser).build();

            // when
            FitResult result = fitter.fit(messages, tools, budget);

            // then
            String context = "run " + run + ": " + result;
            assertThat(messages).as(context).containsExactlyElementsOf(copy);
            int requiredStart = requiredStart(messages, generated.units());
            int required = fixed + sumCounts(counts, messages, requiredStart);
            assertThat(result.fits()).as(context).isEqualTo(required <= budget);
            assertThat(result.budgetTokens()).isEqualTo(budget);
            if (!result.fits()) {
                tooSmallCases++;
                assertThat(result.requiredTokens()).as(context).isEqualTo(required);
                assertThat(result.messages()).isEmpty();
                continue;
            }
            int[] kept = keptIndices(messages, result.messages());
            int cut = checkSuffixShape(messages, kept, requiredStart, context);
            checkUnitsWhole(generated.units(), kept, context);
            int after = fixed;
            for (int i = 0; i < kept.length; i++) {
                after += kept[i] * counts[i];
            }
            assertThat(result.tokensAfter()).as(context).isLessThanOrEqualTo(budget);
            if (result.tokensAfterExact()) {
                assertThat(result.tokensAfter()).as(context).isEqualTo(after);
            } else {
                assertThat(result.tokensAfter()).as(context).isGreaterThanOrEqualTo(after);
            }
            if (!result.truncated()) {
                untouchedCases++;
                assertThat(result.messages()).as(context).isSameAs(messages);
                continue;
            }
            truncatedCases++;
            if (result.tokensBeforeExact()) {
                assertThat(result.tokensBefore()).as(context).isEqualTo(total);
            } else {
                assertThat(result.tokensBefore()).as(context).isGreaterThan(budget).isLessThanOrEqualTo(total);
            }
            ChatMessage firstKept = messages.get(cut);
            if (startWithUser && messages.get(requiredStart) instanceof UserMessage) {
                assertThat(firstKept).as(context).isInstanceOf(UserMessage.class);
            }
            // greedy-optimal: no larger valid suffix of units would have fit
            int firstNonSystem = firstNonSystem(messages);
            for (int[] unit : generated.units()) {
                int start = unit[0];
                boolean validCut = start == firstNonSystem || !startWithUser || messages.get(start) instanceof UserMessage;
                if (start < cut && validCut) {
                    int suffixTotal = fixed + sumCounts(counts, messages, start);
                    assertThat(suffixTotal).as(context + " larger suffix from " + start).isGreaterThan(budget);
                }
            }
        }
        assertThat(truncatedCases).isGreaterThan(150);
        assertThat(tooSmallCases).isGreaterThan(10);
        assertThat(untouchedCases).isGreaterThan(10);
    }

    private static Generated generate(Random random) {
        List<ChatMessage> messages = new ArrayList<>();
        List<int[]> units = new ArrayList<>();
        int systems = random.nextInt(3);
        for (int i = 0; i < systems; i++) {
            messages.add(SystemMessage.from("System rule " + i + ": " + text(random)));
        }
        int turns = 1 + random.nextInt(12);
        for (int turn = 0; turn < turns; turn++) {
            if (random.nextInt(10) == 0) {
                messages.add(SystemMessage.from("Late rule " + turn + ": " + text(random)));
            }
            addUnit(messages, units, UserMessage.from(text(random)));
            if (random.nextInt(3) == 0) {
                int calls = 1 + random.nextInt(3);
                List<ToolExecutionRequest> requests = new ArrayList<>();
                for (int c = 0; c < calls; c++) {
                    requests.add(ToolExecutionRequest.builder().id("call_" + turn + "_" + c)
                            .name("lookup").arguments("{\"q\":\"" + text(random) + "\"}").build());
                }
                int start = messages.size();
                messages.add(AiMessage.from(requests));
                for (ToolExecutionRequest request : requests) {
                    messages.add(ToolExecutionResultMessage.from(request, text(random)));
                }
                units.add(new int[]{start, messages.size() - 1});
            }
            boolean lastTurnEndsWithToolCall = turn == turns - 1 && random.nextInt(5) == 0;
            if (!lastTurnEndsWithToolCall) {
                addUnit(messages, units, AiMessage.from(text(random)));
            }
            if (random.nextInt(6) == 0) {
                addUnit(messages, units, AiMessage.from("And also: " + text(random)));
            }
        }
        return new Generated(messages, units);
    }

    private static void addUnit(List<ChatMessage> messages, List<int[]> units, ChatMessage message) {
        units.add(new int[]{messages.size(), messages.size()});
        messages.add(message);
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        int parts = 1 + random.nextInt(6);
        for (int i = 0; i < parts; i++) {
            text.append(TEXTS[random.nextInt(TEXTS.length)]).append(' ');
        }
        return text.toString();
    }

    private static int requiredStart(List<ChatMessage> messages, List<int[]> units) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage) {
                return i;
            }
        }
        return units.get(units.size() - 1)[0];
    }

    private static int firstNonSystem(List<ChatMessage> messages) {
        int i = 0;
        while (messages.get(i) instanceof SystemMessage) {
            i++;
        }
        return i;
    }

    /** Tokens of all system messages plus the non-system messages from {@code from} on. */
    private static int sumCounts(int[] counts, List<ChatMessage> messages, int from) {
        int tokens = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof SystemMessage || i >= from) {
                tokens += counts[i];
            }
        }
        return tokens;
    }

    private static int[] counts(Tokenizer tokenizer, List<ChatMessage> messages) {
        int[] counts = new int[messages.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = tokenizer.countMessage(messages.get(i));
        }
        return counts;
    }

    private static int fixed(Tokenizer tokenizer, List<ToolSpecification> tools) {
        return tokenizer.replyPrimingTokens() + tokenizer.countTools(tools);
    }

    /** Maps the output back to input indices by identity, asserting it is a subsequence in order. */
    private static int[] keptIndices(List<ChatMessage> input, List<ChatMessage> output) {
        int[] kept = new int[input.size()];
        int in = 0;
        for (ChatMessage message : output) {
            while (in < input.size() && input.get(in) != message) {
                in++;
            }
            assertThat(in).as("output is an in-order subsequence of the input").isLessThan(input.size());
            kept[in++] = 1;
        }
        return kept;
    }

    /** Asserts: every system message kept, non-system messages kept exactly from some cut on. Returns the cut. */
    private static int checkSuffixShape(List<ChatMessage> messages, int[] kept, int requiredStart, String context) {
        int cut = messages.size();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (!(messages.get(i) instanceof SystemMessage) && kept[i] == 1) {
                cut = i;
            }
        }
        for (int i = 0; i < messages.size(); i++) {
            boolean system = messages.get(i) instanceof SystemMessage;
            boolean expected = system || i >= cut;
            assertThat(kept[i] == 1).as(context + " kept[" + i + "]").isEqualTo(expected);
        }
        assertThat(cut).as(context + " newest turn kept").isLessThanOrEqualTo(requiredStart);
        return cut;
    }

    private static void checkUnitsWhole(List<int[]> units, int[] kept, String context) {
        for (int[] unit : units) {
            for (int i = unit[0]; i <= unit[1]; i++) {
                assertThat(kept[i]).as(context + " unit " + unit[0] + ".." + unit[1] + " kept whole").isEqualTo(kept[unit[0]]);
            }
        }
    }
}
