package dev.failover4j.internal;

import dev.failover4j.FailoverTarget;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.time.Clock;

/** A target together with its live health: what the execution loop works with. */
public record TargetRuntime(FailoverTarget target, TargetHealth health, TargetFitter fitter) {

    public String name() {
        return target.name();
    }

    /** Sends a one-token request straight to the target; see {@code FailoverChatLanguageModel.probe}. */
    public boolean probe(Clock clock) {
        ChatRequest ping = requestFor(ChatRequest.builder().messages(UserMessage.from("ping")).maxOutputTokens(1).build());
        try {
            target.chatModel().chat(ping);
            health.reset();
            return true;
        } catch (RuntimeException e) {
            health.recordFailure(ErrorClassifier.classify(e, clock.instant()));
            return false;
        }
    }

    /** @return the request as this target must receive it: its own model name replaces the caller's */
    ChatRequest requestFor(ChatRequest request) {
        String modelName = target.modelName().orElse(null);
        if (modelName == null || modelName.equals(request.parameters().modelName())) {
            return request;
        }
        return request.toBuilder().modelName(modelName).build();
    }
}
