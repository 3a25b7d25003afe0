package dev.failover4j.samples.agent;

import dev.failover4j.samples.support.SampleEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.testkit.FaultKind;
import dev.failover4j.testkit.RecordedChatRequest;
import dev.langchain4j.service.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent sample against chaos servers: the primary dies between a tool call and its result. */
class AgentSampleTest {

    private SampleEndpoint primary;
    private SampleEndpoint secondary;

    @BeforeEach
    void start() {
        primary = SampleEndpoint.start("primary", AgentSample.DEFAULT_WINDOW, new AgentReplies("primary"), Map.of());
        secondary = SampleEndpoint.start("secondary", AgentSample.DEFAULT_WINDOW, new AgentReplies("secondary"), Map.of());
    }

    @AfterEach
    void stop() {
        primary.close();
        secondary.close();
    }

    @Test
    void should_finish_the_tool_loop_on_the_secondary_with_intact_tool_pairs_when_the_primary_dies_after_a_tool_call() {
        // given
        OrderTools tools = new OrderTools();
        AgentRun run = new AgentRun(primary.chaos(), line -> {});
        SupportAgent agent = AgentSample.agent(List.of(primary.target().build(), secondary.target().build()), tools, run);

        // when
        Result<String> result = agent.handle(AgentSample.REQUEST);

        // then: the answer comes from the secondary and reports the refund of the looked-up amount
        assertThat(result.content()).startsWith("[secondary] Sorry about the cracked leg: I refunded you in full (refund R-1: 129.00 EUR");
        // each tool ran exactly once: nothing was repeated because of the failover
        assertThat(tools.lookups()).isEqualTo(1);
        assertThat(tools.refunds()).isEqualTo(1);
        assertThat(result.toolExecutions()).extracting(execution -> execution.request().name())
                .containsExactly("lookupOrder", "refund");
        // the primary served the first step (the lookup call), the secondary the rest
        assertThat(run.servedBy()).containsExactly("primary", "secondary", "secondary");
        assertThat(primary.chaos().stats().faultCount(FaultKind.DROP_CONNECTION)).isPositive();
        // the secondary's first request carried the primary's tool call and its result
        RecordedChatRequest firstOnSecondary = secondary.chaos().requests().get(0);
        assertThat(roles(firstOnSecondary)).containsExactly("system", "user", "assistant", "tool");
        // no server ever received an orphan tool result or an unanswered tool call
        List<RecordedChatRequest> all = new ArrayList<>(primary.chaos().requests());
        all.addAll(secondary.chaos().requests());
        assertThat(all).hasSizeGreaterThanOrEqualTo(1 + 2 + 3);
        assertThat(all).allSatisfy(request -> assertThat(ToolPairs.problems(request)).as("request %s", request).isEmpty());
        assertThat(result.finalResponse().metadata()).isInstanceOfSatisfying(FailoverChatResponseMetadata.class,
                metadata -> assertThat(metadata.targetName()).isEqualTo("secondary"));
    }

    private static List<String> roles(RecordedChatRequest request) {
        List<String> roles = new ArrayList<>();
        request.bodyTree().path("messages").forEach(message -> roles.add(message.path("role").asText()));
        return roles;
    }
}
