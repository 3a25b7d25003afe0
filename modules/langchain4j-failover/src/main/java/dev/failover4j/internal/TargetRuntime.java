package dev.failover4j.internal;

import dev.failover4j.FailoverTarget;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.time.Clock;

/**
 * A target together with its live health: what the execution loop works with.
 *
 * @param modelNameIsDefault whether the target's chat (and streaming) models already default to the
 *                           target's model name, so a request that names no model needs no copy
 */
public record TargetRuntime(FailoverTarget target, TargetHealth health, TargetFitter fitter, boolean modelNameIsDefault) {

    public TargetRuntime(FailoverTarget target, TargetHealth health, TargetFitter fitter) {
        this(target, health, fitter, modelNameIsDefault(target));
    }

    private static boolean modelNameIsDefault(FailoverTarget target) {
        String modelName = target.modelName().orElse(null);
        return modelName != null
                && (target.chatModel() == null || defaultsTo(target.chatModel().defaultRequestParameters(), modelName))
                && target.streamingChatModel().map(streaming -> defaultsTo(streaming.defaultRequestParameters(), modelName)).orElse(true);
    }

    private static boolean defaultsTo(dev.langchain4j.model.chat.request.ChatRequestParameters defaults, String modelName) {
        return defaults != null && modelName.equals(defaults.modelName());
    }

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
        String requested = request.parameters().modelName();
        if (requested == null && modelNameIsDefault) {
            return request; // the target's model fills in its own name
        }
        String modelName = target.modelName().orElse(null);
        if (modelName == null || modelName.equals(requested)) {
            return request;
        }
        return request.toBuilder().modelName(modelName).build();
    }
}
