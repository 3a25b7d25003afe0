package dev.failover4j.spring;

import dev.failover4j.OpenAiCompatibleTargetBuilder;

/**
 * A bean that adjusts each configured target's builder after its properties were applied and before it is built:
 * a proxy or private CA ({@code customizeHttpClient}), {@code OpenAiChatModel} options ({@code customizeChatModel}),
 * a tokenizer. Customizers run in {@link org.springframework.core.Ordered} order, for every target.
 */
@FunctionalInterface
public interface FailoverTargetCustomizer {

    /**
     * @param name    the target's name ({@code langchain4j.failover.targets[i].name})
     * @param builder its builder, with the properties applied
     */
    void customize(String name, OpenAiCompatibleTargetBuilder builder);
}
