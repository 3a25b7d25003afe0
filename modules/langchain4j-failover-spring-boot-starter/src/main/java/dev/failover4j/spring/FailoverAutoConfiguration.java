package dev.failover4j.spring;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverListener;
import dev.failover4j.FailoverStreamingChatLanguageModel;
import dev.failover4j.redis.RedisTargetState;
import dev.failover4j.spi.TargetStateFactory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Auto-configures a {@link FailoverGroup} from {@code langchain4j.failover.*} and its two models:
 *
 * <ul>
 *   <li>{@code failoverGroup}: the targets and settings of {@link FailoverProperties}, every
 *       {@link FailoverListener} bean and every LangChain4j {@link ChatModelListener} bean of the context (in
 *       {@code @Order}), the {@link TargetStateFactory} bean if there is one (see {@code failoverRedisTargetState}),
 *       then every {@link FailoverTargetCustomizer} and {@link FailoverGroupCustomizer}; closed with the context.
 *       Backs off when the application defines its own {@code FailoverGroup}.</li>
 *   <li>{@code failoverChatModel}: {@code group.chatModel()}, unless the application defines a {@link ChatModel}.</li>
 *   <li>{@code failoverStreamingChatModel}: {@code group.streamingChatModel(options)} with
 *       {@code langchain4j.failover.streaming.*}, unless the application defines a {@link StreamingChatModel}.</li>
 *   <li>{@code failoverRedisTargetState}: fleet mode, a {@code RedisTargetState} from
 *       {@code langchain4j.failover.redis.*}, when {@code langchain4j.failover.redis.uri} is set (not blank) and
 *       {@code langchain4j-failover-redis} is on the class path, unless the application defines a
 *       {@link TargetStateFactory}; closed with the context, after the group. With the uri set and the module
 *       absent, the start fails naming the property and the dependency to add.</li>
 * </ul>
 *
 * Off with {@code langchain4j.failover.enabled=false}. A property that cannot work stops the start with a
 * {@link FailoverPropertyException} naming it.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = FailoverProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(FailoverProperties.class)
public class FailoverAutoConfiguration {

    private static final String REDIS_TARGET_STATE = "dev.failover4j.redis.RedisTargetState";
    private static final String REDIS_URI = FailoverProperties.PREFIX + ".redis.uri";

    /** @return the group built from the properties, the listeners and the customizers */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public FailoverGroup failoverGroup(FailoverProperties properties,
            ObjectProvider<FailoverTargetCustomizer> targetCustomizers,
            ObjectProvider<FailoverListener> listeners,
            ObjectProvider<ChatModelListener> chatModelListeners,
            ObjectProvider<FailoverGroupCustomizer> customizers,
            ObjectProvider<TargetStateFactory> targetStates) {
        return GroupFactory.build(properties, targetStates.getIfAvailable(), targetCustomizers.orderedStream().toList(),
                listeners.orderedStream().toList(), chatModelListeners.orderedStream().toList(),
                customizers.orderedStream().toList());
    }

    /** @return the group's {@code ChatModel} */
    @Bean
    @ConditionalOnMissingBean(ChatModel.class)
    public FailoverChatLanguageModel failoverChatModel(FailoverGroup group) {
        return group.chatModel();
    }

    /** @return the group's {@code StreamingChatModel}, with {@code langchain4j.failover.streaming.*} */
    @Bean
    @ConditionalOnMissingBean(StreamingChatModel.class)
    public FailoverStreamingChatLanguageModel failoverStreamingChatModel(FailoverGroup group, FailoverProperties properties) {
        return group.streamingChatModel(GroupFactory.streamingOptions(properties.streaming()));
    }

    /** Fleet mode: {@code langchain4j.failover.redis.uri} set and {@code langchain4j-failover-redis} present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = REDIS_TARGET_STATE)
    @Conditional(OnRedisUri.class)
    static class Fleet {

        /** @return the fleet's shared state, closed with the context (after the group, which depends on it) */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(TargetStateFactory.class)
        RedisTargetState failoverRedisTargetState(FailoverProperties properties, Environment environment) {
            return FleetStates.build(properties.redis(), environment.getProperty("spring.application.name"));
        }
    }

    /** {@code langchain4j.failover.redis.uri} set without {@code langchain4j-failover-redis}: the start fails. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(REDIS_TARGET_STATE)
    @Conditional(OnRedisUri.class)
    static class FleetModuleMissing {

        FleetModuleMissing() {
            throw new FailoverPropertyException(REDIS_URI, "is set, but fleet mode needs langchain4j-failover-redis on the "
                    + "class path: add the dependency dev.failover4j:langchain4j-failover-redis (version from the BOM), "
                    + "or remove " + REDIS_URI + " to keep each replica's target state in memory");
        }
    }

    /** Matches when {@code langchain4j.failover.redis.uri} is set and not blank (placeholders resolved if they can be). */
    static final class OnRedisUri extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean set = Binder.get(context.getEnvironment()).bind(REDIS_URI, String.class).map(RedisUris::isSet).orElse(false);
            // the outcome is logged in the conditions report: the property's name only, never its value
            return set ? ConditionOutcome.match(REDIS_URI + " is set") : ConditionOutcome.noMatch(REDIS_URI + " is not set");
        }
    }
}
