package dev.failover4j.spring;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverListener;
import dev.failover4j.FailoverStreamingChatLanguageModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures a {@link FailoverGroup} from {@code langchain4j.failover.*} and its two models:
 *
 * <ul>
 *   <li>{@code failoverGroup}: the targets and settings of {@link FailoverProperties}, every
 *       {@link FailoverListener} bean and every LangChain4j {@link ChatModelListener} bean of the context (in
 *       {@code @Order}), then every {@link FailoverTargetCustomizer} and {@link FailoverGroupCustomizer}; closed with
 *       the context. Backs off when the application defines its own {@code FailoverGroup}.</li>
 *   <li>{@code failoverChatModel}: {@code group.chatModel()}, unless the application defines a {@link ChatModel}.</li>
 *   <li>{@code failoverStreamingChatModel}: {@code group.streamingChatModel(options)} with
 *       {@code langchain4j.failover.streaming.*}, unless the application defines a {@link StreamingChatModel}.</li>
 * </ul>
 *
 * Off with {@code langchain4j.failover.enabled=false}. A property that cannot work stops the start with a
 * {@link FailoverPropertyException} naming it.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = FailoverProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(FailoverProperties.class)
public class FailoverAutoConfiguration {

    /** @return the group built from the properties, the listeners and the customizers */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public FailoverGroup failoverGroup(FailoverProperties properties,
            ObjectProvider<FailoverTargetCustomizer> targetCustomizers,
            ObjectProvider<FailoverListener> listeners,
            ObjectProvider<ChatModelListener> chatModelListeners,
            ObjectProvider<FailoverGroupCustomizer> customizers) {
        return GroupFactory.build(properties, targetCustomizers.orderedStream().toList(), listeners.orderedStream().toList(),
                chatModelListeners.orderedStream().toList(), customizers.orderedStream().toList());
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
}
