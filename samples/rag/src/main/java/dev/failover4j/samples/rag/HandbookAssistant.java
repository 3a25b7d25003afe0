package dev.failover4j.samples.rag;

import dev.langchain4j.service.Result;
import dev.langchain4j.service.SystemMessage;

/** The RAG assistant: each question is augmented with handbook excerpts before it reaches the model. */
public interface HandbookAssistant {

    String SYSTEM = "You are the Nimbus Desk Pro support assistant. Answer only from the handbook excerpts "
            + "given with the question, in at most two sentences.";

    @SystemMessage(SYSTEM)
    Result<String> answer(String question);
}
