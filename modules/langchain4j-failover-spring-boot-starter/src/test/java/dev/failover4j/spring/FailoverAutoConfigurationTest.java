package dev.failover4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverListener;
import dev.failover4j.FailoverStreamingChatLanguageModel;
import dev.failover4j.FailoverTarget;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

class FailoverAutoConfigurationTest {

    private static final ChaosTargets servers = new ChaosTargets();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FailoverAutoConfiguration.class));

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @BeforeEach
    void resetServers() {
        servers.reset();
    }

    @Test
    void should_create_the_group_and_both_models_when_targets_are_configured() {
        runner.withPropertyValues(servers.properties()).run(context -> {
            // then
            assertThat(context).hasSingleBean(FailoverGroup.class).hasSingleBean(ChatModel.class)
                    .hasSingleBean(StreamingChatModel.class);
            FailoverGroup group = context.getBean(FailoverGroup.class);
            assertThat(context.getBean(ChatModel.class)).isSameAs(group.chatModel());
            assertThat(((FailoverStreamingChatLanguageModel) context.getBean(StreamingChatModel.class)).group()).isSameAs(group);
            assertThat(group.targets()).extracting(FailoverTarget::name).containsExactly("primary", "secondary");
        });
    }

    @Test
    void should_fail_over_to_the_secondary_when_the_primary_answers_500() {
        servers.primary.inject(Fault.httpStatus(500));
        runner.withPropertyValues(servers.properties("langchain4j.failover.max-retries=0")).run(context -> {
            // when
            ChatResponse response = context.getBean(ChatModel.class).chat(request());

            // then
            assertThat(response.aiMessage().text()).isEqualTo("from secondary");
            assertThat(((FailoverChatResponseMetadata) response.metadata()).targetName()).isEqualTo("secondary");
            assertThat(servers.primary.requestCount()).isEqualTo(1);
        });
    }

    @Test
    void should_stream_from_the_group_when_the_streaming_model_is_called() throws Exception {
        runner.withPropertyValues(servers.properties()).run(context -> {
            // given
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();

            // when
            context.getBean(StreamingChatModel.class).chat(request(), handler(done));

            // then
            assertThat(done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("from primary");
        });
    }

    @Test
    void should_attach_every_listener_bean_when_the_context_has_them() {
        runner.withPropertyValues(servers.properties()).withUserConfiguration(Listeners.class).run(context -> {
            // when
            context.getBean(ChatModel.class).chat(request());

            // then
            Listeners listeners = context.getBean(Listeners.class);
            assertThat(listeners.events).anyMatch(e -> e instanceof FailoverEvent.CallSucceeded);
            assertThat(listeners.chatModelCalls).containsExactly("first:request", "second:request", "first:response",
                    "second:response");
        });
    }

    @Test
    void should_apply_the_customizers_when_the_context_has_them() {
        runner.withPropertyValues(servers.properties()).withUserConfiguration(Customizers.class).run(context -> {
            // then
            FailoverGroup group = context.getBean(FailoverGroup.class);
            assertThat(group.targets()).extracting(t -> t.maxOutputTokens().orElse(0)).containsExactly(100, 100);
            assertThat(group.config().maxRetries()).isEqualTo(7);
        });
    }

    @Test
    void should_back_off_when_the_application_defines_its_own_group() {
        runner.withUserConfiguration(OwnGroup.class).run(context -> {
            // then: no targets configured, yet the context starts with the application's group and its models
            assertThat(context).hasNotFailed().hasSingleBean(FailoverGroup.class);
            FailoverGroup group = context.getBean(FailoverGroup.class);
            assertThat(group.targets()).extracting(FailoverTarget::name).containsExactly("own");
            assertThat(context.getBean(ChatModel.class)).isSameAs(group.chatModel());
        });
    }

    @Test
    void should_back_off_when_the_application_defines_its_own_models() {
        runner.withPropertyValues(servers.properties()).withUserConfiguration(OwnModels.class).run(context -> {
            // then
            assertThat(context).hasSingleBean(FailoverGroup.class).hasSingleBean(ChatModel.class)
                    .hasSingleBean(StreamingChatModel.class);
            assertThat(context.getBean(ChatModel.class)).isSameAs(OwnModels.CHAT);
            assertThat(context.getBean(StreamingChatModel.class)).isSameAs(OwnModels.STREAMING);
            assertThat(context).doesNotHaveBean(FailoverChatLanguageModel.class);
        });
    }

    @Test
    void should_configure_nothing_when_disabled() {
        runner.withPropertyValues(servers.properties("langchain4j.failover.enabled=false")).run(context -> {
            // then
            assertThat(context).hasNotFailed().doesNotHaveBean(FailoverGroup.class).doesNotHaveBean(ChatModel.class)
                    .doesNotHaveBean(StreamingChatModel.class).doesNotHaveBean(FailoverProperties.class);
        });
    }

    @Test
    void should_close_the_group_when_the_context_closes() {
        FailoverGroup[] group = new FailoverGroup[1];
        runner.withPropertyValues(servers.properties()).run(context -> {
            group[0] = context.getBean(FailoverGroup.class);
            assertThat(group[0].isClosed()).isFalse();
        });

        // then
        assertThat(group[0].isClosed()).isTrue();
    }

    static ChatRequest request() {
        return ChatRequest.builder().messages(UserMessage.from("Hello")).build();
    }

    static StreamingChatResponseHandler handler(CompletableFuture<ChatResponse> done) {
        return new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {}

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                done.complete(completeResponse);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        };
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {
        final List<FailoverEvent> events = new CopyOnWriteArrayList<>();
        final List<String> chatModelCalls = new CopyOnWriteArrayList<>();

        @Bean
        FailoverListener failoverListener() {
            return events::add;
        }

        @Bean
        @Order(2)
        ChatModelListener second() {
            return recording("second");
        }

        @Bean
        @Order(1)
        ChatModelListener first() {
            return recording("first");
        }

        private ChatModelListener recording(String name) {
            return new ChatModelListener() {
                @Override
                public void onRequest(ChatModelRequestContext requestContext) {
                    chatModelCalls.add(name + ":request");
                }

                @Override
                public void onResponse(ChatModelResponseContext responseContext) {
                    chatModelCalls.add(name + ":response");
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        @Bean
        FailoverTargetCustomizer maxOutput() {
            return (name, builder) -> builder.maxOutputTokens(100);
        }

        @Bean
        FailoverGroupCustomizer retries() {
            return builder -> builder.maxRetries(7);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnGroup {
        @Bean
        FailoverGroup myGroup() {
            return FailoverGroup.builder().targets(FailoverTarget.openAiCompatible("own").baseUrl(servers.secondary.baseUrl())
                    .noApiKey().modelName("gpt-4o-mini").contextWindowTokens(8_000).build()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnModels {
        static final ChatModel CHAT = new ChatModel() {};
        static final StreamingChatModel STREAMING = new StreamingChatModel() {};

        @Bean
        ChatModel myChatModel() {
            return CHAT;
        }

        @Bean
        StreamingChatModel myStreamingChatModel() {
            return STREAMING;
        }
    }
}
