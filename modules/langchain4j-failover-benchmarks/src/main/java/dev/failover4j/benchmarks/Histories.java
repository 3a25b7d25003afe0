package dev.failover4j.benchmarks;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded, realistic chat histories for benchmarks: one system message, user/assistant turns in mixed
 * English, German, Japanese and Russian, and a tool group (an assistant tool call with 1–3 results)
 * in about every fourth turn. Messages average about 87 o200k tokens (100 messages ≈ 8.4k tokens,
 * 1,000 ≈ 89k, 10,000 ≈ 866k).
 */
final class Histories {

    private static final String[] SENTENCES = {
            "Could you summarise the quarterly report and highlight the main risks for the next period?",
            "Die Lieferung verzögert sich wegen eines Streiks im Hafen um voraussichtlich zwei Wochen.",
            "Пожалуйста, проверьте расчёты в таблице и сообщите мне о найденных ошибках до пятницы.",
            "会議の議事録を共有します。次回までに各自の担当タスクを確認してください。",
            "The API returns a 429 status when the rate limit is exceeded; retry after the indicated delay.",
            "Wir brauchen eine Übersicht aller offenen Rechnungen, sortiert nach Fälligkeitsdatum.",
            "Срок действия сертификата истекает через десять дней, его нужно обновить заранее.",
            "新しいバージョンでは検索の精度が大幅に向上し、応答時間も短縮されました。",
            "Let me know if you need the figures broken down by region or by product line.",
            "Bitte beachten Sie, dass die Preise ab dem ersten Januar um drei Prozent steigen.",
    };

    private Histories() {
    }

    /** A history of exactly {@code size} messages (≥ 2), ending with a user message. */
    static List<ChatMessage> generate(int size, long seed) {
        Random random = new Random(seed);
        List<ChatMessage> messages = new ArrayList<>(size);
        messages.add(SystemMessage.from("You are a helpful assistant for an international logistics company. "
                + SENTENCES[0]));
        int turn = 0;
        while (messages.size() < size - 1) {
            messages.add(UserMessage.from(text(random, 1 + random.nextInt(3), turn)));
            int room = size - 1 - messages.size();
            if (turn % 4 == 3 && room >= 3) {
                int calls = Math.min(1 + random.nextInt(3), room - 1);
                List<ToolExecutionRequest> requests = new ArrayList<>();
                for (int c = 0; c < calls; c++) {
                    requests.add(ToolExecutionRequest.builder().id("call_" + turn + "_" + c).name("search_orders")
                            .arguments("{\"query\":\"" + SENTENCES[random.nextInt(SENTENCES.length)] + "\"}").build());
                }
                messages.add(AiMessage.from(requests));
                for (ToolExecutionRequest request : requests) {
                    messages.add(ToolExecutionResultMessage.from(request,
                            "{\"orders\":[\"" + text(random, 2, turn) + "\"]}"));
                }
            } else if (room >= 1) {
                messages.add(AiMessage.from(text(random, 4 + random.nextInt(7), turn)));
            }
            turn++;
        }
        while (messages.size() < size) {
            messages.add(UserMessage.from(text(random, 2, turn++)));
        }
        return messages;
    }

    /**
     * The system message of {@code master} plus its newest messages, about {@code size} in all, starting
     * at a user message. Histories cut from one master share their newest part, so benchmarks that fit
     * them into the same window do the same fitting work and differ only in history length.
     */
    static List<ChatMessage> newest(List<ChatMessage> master, int size) {
        int start = Math.max(1, master.size() - size + 1);
        while (!(master.get(start) instanceof UserMessage)) {
            start++;
        }
        List<ChatMessage> messages = new ArrayList<>(master.size() - start + 1);
        messages.add(master.get(0));
        messages.addAll(master.subList(start, master.size()));
        return messages;
    }

    static String text(Random random, int sentences, int turn) {
        StringBuilder text = new StringBuilder("(" + turn + ") ");
        for (int i = 0; i < sentences; i++) {
            text.append(SENTENCES[random.nextInt(SENTENCES.length)]).append(' ');
        }
        return text.toString();
    }
}
