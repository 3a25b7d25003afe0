package dev.failover4j.internal;

import dev.langchain4j.model.chat.request.ChatRequest;

/**
 * One attempt on one target: what differs between the sync and the streaming model. The sync
 * attempt returns the response; the streaming attempt returns once the first token arrived.
 * Throws whatever the target's model throws; the planning core classifies it.
 */
@FunctionalInterface
public interface Attempt<T> {

    T run(TargetRuntime target, ChatRequest request);
}
