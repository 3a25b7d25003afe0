package dev.failover4j.spring;

import dev.failover4j.FailoverTarget;
import dev.failover4j.OpenAiCompatibleTargetBuilder;
import dev.failover4j.TokenPrice;
import java.util.ArrayList;
import java.util.List;

/** Builds the {@code openAiCompatible} targets from {@code langchain4j.failover.targets[i]}, checked first. */
final class TargetFactory {

    private TargetFactory() {}

    /** @throws FailoverPropertyException naming the first property that cannot work, never a secret */
    static List<FailoverTarget> build(List<FailoverTargetProperties> properties, List<FailoverTargetCustomizer> customizers) {
        TargetChecks.check(properties);
        List<FailoverTarget> targets = new ArrayList<>(properties.size());
        for (int i = 0; i < properties.size(); i++) {
            FailoverTargetProperties target = properties.get(i);
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
