package dev.failover4j.spring;

import dev.failover4j.FailoverTarget;
import dev.failover4j.OpenAiCompatibleTargetBuilder;
import dev.failover4j.TokenPrice;
import dev.langchain4j.model.chat.ChatModel;
import java.util.ArrayList;
import java.util.List;

/** Builds the {@code openAiCompatible} targets from {@code langchain4j.failover.targets[i]}, checked first. */
final class TargetFactory {

    /** Never called: stands in for the model of a target built only to check one setting. */
    private static final ChatModel STAND_IN = new ChatModel() {};

    private TargetFactory() {}

    /** @throws FailoverPropertyException naming the first property that cannot work, never a secret */
    static List<FailoverTarget> build(List<FailoverTargetProperties> properties, List<FailoverTargetCustomizer> customizers) {
        TargetChecks.check(properties);
        List<FailoverTarget> targets = new ArrayList<>(properties.size());
        for (int i = 0; i < properties.size(); i++) {
            FailoverTargetProperties target = properties.get(i);
            checkBudgetInterval(target, TargetChecks.path(i) + ".budget-interval");
            try {
                OpenAiCompatibleTargetBuilder builder = builder(target);
                customizers.forEach(customizer -> customizer.customize(target.name(), builder));
                targets.add(builder.build());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new FailoverPropertyException(TargetChecks.path(i), Secrets.masked(e.getMessage(), target));
            }
        }
        return targets;
    }

    /**
     * The budget interval on a stand-in target with the same budgets, so that what the library rejects in it (outside
     * (0, 1 minute], or less than one permit of a budget per interval) is reported under its own property path. A
     * budget the library rejects by itself is left to the target's own build.
     */
    private static void checkBudgetInterval(FailoverTargetProperties target, String path) {
        if (target.budgetInterval() == null) {
            return;
        }
        FailoverTarget.Builder alone = FailoverTarget.builder().name(target.name()).chatModel(STAND_IN)
                .modelName(target.model()).contextWindowTokens(1_000).safetyMarginTokens(0)
                .budgetInterval(target.budgetInterval());
        if (target.requestsPerMinute() != null && target.requestsPerMinute() > 0) {
            alone.requestsPerMinute(target.requestsPerMinute());
        }
        if (target.tokensPerMinute() != null && target.tokensPerMinute() > 0) {
            alone.tokensPerMinute(target.tokensPerMinute());
        }
        try {
            alone.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new FailoverPropertyException(path, Secrets.masked(e.getMessage(), target));
        }
    }

    private static OpenAiCompatibleTargetBuilder builder(FailoverTargetProperties target) {
        OpenAiCompatibleTargetBuilder builder = FailoverTarget.openAiCompatible(target.name())
                .modelName(target.model())
                .contextWindowTokens(target.contextWindow());
        if (target.noApiKey()) {
            builder.noApiKey();
        } else {
            builder.apiKey(target.apiKey());
        }
        if (target.baseUrl() != null) {
            builder.baseUrl(target.baseUrl());
        }
        if (target.maxOutputTokens() != null) {
            builder.maxOutputTokens(target.maxOutputTokens());
        }
        if (target.priority() != null) {
            builder.priority(target.priority());
        }
        if (target.weight() != null) {
            builder.weight(target.weight());
        }
        if (target.price() != null) {
            builder.price(new TokenPrice(target.price().input(), target.price().output()));
        }
        if (target.requestsPerMinute() != null) {
            builder.requestsPerMinute(target.requestsPerMinute());
        }
        if (target.tokensPerMinute() != null) {
            builder.tokensPerMinute(target.tokensPerMinute());
        }
        if (target.budgetInterval() != null) {
            builder.budgetInterval(target.budgetInterval());
        }
        if (target.tokenRatio() != null) {
            builder.tokenRatio(target.tokenRatio());
        }
        if (target.safetyMarginTokens() != null) {
            builder.safetyMarginTokens(target.safetyMarginTokens());
        }
        if (target.tokenizer() != null) {
            builder.tokenizer(target.tokenizer());
        }
        if (target.timeout() != null) {
            builder.timeout(target.timeout());
        }
        if (target.connectTimeout() != null) {
            builder.connectTimeout(target.connectTimeout());
        }
        if (target.httpVersion() != null) {
            builder.httpVersion(target.httpVersion());
        }
        target.customHeaders().forEach(builder::customHeader);
        return builder;
    }
}
