package dev.failover4j.samples.agent;

import dev.langchain4j.service.Result;
import dev.langchain4j.service.SystemMessage;

/** The agent: AI Services runs the tool loop (model asks for a tool, tool runs, result goes back) until a text answer. */
public interface SupportAgent {

    @SystemMessage("You are the support agent of a desk shop. Look the order up before doing anything, refund "
            + "damaged deliveries in full with the refund tool, then tell the customer what you did in one sentence.")
    Result<String> handle(String request);
}
