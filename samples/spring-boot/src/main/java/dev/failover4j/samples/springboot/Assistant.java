package dev.failover4j.samples.springboot;

import dev.langchain4j.service.Result;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.TokenStream;

/** The AI Service the controller talks to, on the failover models. */
public interface Assistant {

    @SystemMessage("You are a concise assistant.")
    Result<String> chat(String message);

    @SystemMessage("You are a concise assistant.")
    TokenStream stream(String message);
}
