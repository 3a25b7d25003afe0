package dev.failover4j.samples.aiservice;

import dev.langchain4j.service.Result;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.TokenStream;

/**
 * The AI Service: plain chat, structured output and a streamed answer, all sharing one chat memory.
 * {@code Result<T>} gives access to the final {@code ChatResponse}, whose metadata names the target
 * that served the turn.
 */
public interface Concierge {

    String SYSTEM = "You are Atlas, a concise travel concierge. Answer in at most three sentences.";

    @SystemMessage(SYSTEM)
    Result<String> chat(String message);

    /** Structured output: a JSON schema when every target supports one, else format instructions. */
    @SystemMessage(SYSTEM)
    Result<TripPlan> plan(String request);

    /** Streamed through {@code FailoverStreamingChatLanguageModel}. */
    @SystemMessage(SYSTEM)
    TokenStream stream(String message);
}
