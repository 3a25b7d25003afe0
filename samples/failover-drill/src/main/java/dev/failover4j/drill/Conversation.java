package dev.failover4j.drill;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One simulated user's running conversation: a system message and a growing history. After the
 * persona's number of turns it starts over, so memory stays bounded. Not thread-safe: one user owns it.
 */
public final class Conversation {

    /** Output tokens each request asks for (also reserved when fitting). */
    public static final int MAX_OUTPUT_TOKENS = 200;

    private final Conversations.Persona persona;
    private final Random random;
    private final List<ChatMessage> messages = new ArrayList<>();
    private int turn;
    private int documents;

    public Conversation(Conversations.Persona persona, Random random) {
        this.persona = persona;
        this.random = random;
        restart();
    }

    /** Adds the user's next message and returns the request carrying the whole history. */
    public ChatRequest nextRequest() {
        if (turn >= persona.turns()) {
            restart();
        }
        messages.add(UserMessage.from(nextUserText()));
        turn++;
        return ChatRequest.builder().messages(List.copyOf(messages)).maxOutputTokens(MAX_OUTPUT_TOKENS).build();
    }

    /** Records the answer to the last request. */
    public void answered(AiMessage answer) {
        messages.add(answer);
    }

    /** Forgets the last user message (its call failed); the user will ask something again. */
    public void failed() {
        messages.remove(messages.size() - 1);
        turn--;
    }

    /** @return messages in the history, system message included */
    public int size() {
        return messages.size();
    }

    public Conversations.Persona persona() {
        return persona;
    }

    private String nextUserText() {
        return switch (persona) {
            case SUPPORT -> Conversations.supportQuestion(turn);
            case CODE -> Conversations.codeReview(random);
            case DOCUMENTS -> {
                if (turn <= 1) {
                    documents++;
                    yield (turn == 0 ? "Here is last week's incident report. What went wrong?"
                            : "And here is the follow-up postmortem. Compare it with the first report.")
                            + "\n\n" + Conversations.document("Incident report " + documents, random);
                }
                yield Conversations.documentQuestion(random);
            }
        };
    }

    private void restart() {
        messages.clear();
        messages.add(SystemMessage.from(persona.systemPrompt()));
        turn = 0;
    }
}
