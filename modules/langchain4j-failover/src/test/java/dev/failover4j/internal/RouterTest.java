package dev.failover4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverTarget;
import dev.failover4j.FittingConfig;
import dev.failover4j.spi.InMemoryTargetState;
import dev.failover4j.spi.TargetStateFactory;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan: priority order, and a continued stream's broken targets last, in the order they broke. */
class RouterTest {

    private static TargetRuntime runtime(String name) {
        ChatModel model = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                throw new UnsupportedOperationException();
            }
        };
        FailoverTarget target = FailoverTarget.builder().name(name).chatModel(model).contextWindowTokens(8_000).build();
        return new TargetRuntime(target, new InMemoryTargetState(
                        new TargetStateFactory.Context(name, FailoverConfig.defaults(), Clock.systemUTC(), (from, to) -> {})),
                new TargetFitter(target, FittingConfig.defaults()), new LiveStats(Clock.systemUTC(), null));
    }

    private final TargetRuntime a = runtime("a");
    private final TargetRuntime b = runtime("b");
    private final TargetRuntime c = runtime("c");
    private final List<TargetRuntime> targets = List.of(a, b, c);
    private final Router router = new Router(targets, FittingConfig.defaults(), dev.failover4j.RoutingStrategy.priority());
    private final ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hi")).build();

    private List<String> plan(List<TargetRuntime> broke) {
        return router.plan(request, new Fits(targets), broke).stream().map(TargetRuntime::name).toList();
    }

    @Test
    void should_plan_in_priority_order_when_nothing_broke() {
        assertThat(plan(List.of())).containsExactly("a", "b", "c");
    }

    @Test
    void should_try_the_next_target_after_the_one_that_broke_as_a_rotation_would() {
        assertThat(plan(List.of(a))).containsExactly("b", "c", "a");
        assertThat(plan(List.of(a, b))).containsExactly("c", "a", "b");
        assertThat(plan(List.of(a, b, c))).containsExactly("a", "b", "c");
        assertThat(plan(List.of(a, b, c, a))).containsExactly("b", "c", "a");
    }

    @Test
    void should_put_the_later_break_last_when_a_target_broke_twice() {
        assertThat(plan(List.of(b, a, b))).containsExactly("c", "a", "b");
    }
}
