package dev.failover4j.internal;

import dev.failover4j.FailoverTarget;
import dev.langchain4j.model.chat.request.ChatRequest;

/** A target together with its live health: what the execution loop works with. */
public record TargetRuntime(FailoverTarget target, TargetHealth health) {

    public String name() {
        return target.name();
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
