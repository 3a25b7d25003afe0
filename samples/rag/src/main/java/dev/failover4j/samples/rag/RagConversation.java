package dev.failover4j.samples.rag;

import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.testkit.ChaosEndpoint;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.service.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The sample's conversation: three handbook questions on a healthy primary, which builds up a long
 * history (the retrieved excerpts are stored with each question), then the primary goes down and a
 * fourth question must be answered elsewhere.
 */
final class RagConversation {

    static final List<String> HEALTHY_QUESTIONS = List.of(
            "How many years of warranty do the lifting motors have?",
            "How do I reset the hand controller when it shows E01?",
            "How long does assembly take and which hex keys do I need?");
    static final String QUESTION_DURING_OUTAGE = "Can I still return the desk 40 days after delivery?";

    /** One answered question and the target that served it. */
    record Turn(String question, String answer, String servedBy) {}

    private RagConversation() {}

    static List<Turn> run(HandbookAssistant assistant, ChaosEndpoint primary, Consumer<String> log) {
        List<Turn> turns = new ArrayList<>();
        for (String question : HEALTHY_QUESTIONS) {
            turns.add(ask(assistant, question, log));
        }
        log.accept("--- primary outage: every request now gets HTTP 503");
        primary.inject(Fault.httpStatus(503));
        turns.add(ask(assistant, QUESTION_DURING_OUTAGE, log));
        return turns;
    }

    static Turn ask(HandbookAssistant assistant, String question, Consumer<String> log) {
        Result<String> result = assistant.answer(question);
        FailoverChatResponseMetadata metadata = (FailoverChatResponseMetadata) result.finalResponse().metadata();
        Turn turn = new Turn(question, result.content(), metadata.targetName());
        log.accept("user:      " + question);
        log.accept("assistant: " + turn.answer() + "   <- served by " + turn.servedBy());
        return turn;
    }
}
