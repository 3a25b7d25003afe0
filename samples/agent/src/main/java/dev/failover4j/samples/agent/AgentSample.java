package dev.failover4j.samples.agent;

import dev.failover4j.samples.support.SampleEndpoint;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverListener;
import dev.failover4j.FailoverTarget;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import java.util.List;
import java.util.Map;

/**
 * Drop-in proof for agents: an {@link AiServices} agent with {@code @Tool} methods
 * ({@link OrderTools}) on {@link FailoverChatLanguageModel}. The primary answers the first step with
 * a tool call and dies before the tool result reaches it; the secondary receives the conversation
 * with the tool call and its result intact, asks for the next tool, and answers.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl samples/agent exec:java}; real endpoints
 * with {@code FAILOVER_PRIMARY_*} and {@code FAILOVER_SECONDARY_*} ({@code BASE_URL}, {@code API_KEY},
 * {@code MODEL}, {@code WINDOW}), each behind a chaos proxy that stages the same outage.
 */
public final class AgentSample {

    static final int DEFAULT_WINDOW = 16_000;
    static final String REQUEST = "My desk from order A-1001 arrived with a cracked leg. I want my money back.";

    private AgentSample() {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        try (SampleEndpoint primary = SampleEndpoint.start("primary", DEFAULT_WINDOW, new AgentReplies("primary"), env);
                SampleEndpoint secondary = SampleEndpoint.start("secondary", DEFAULT_WINDOW, new AgentReplies("secondary"), env)) {
            OrderTools tools = new OrderTools();
            AgentRun run = new AgentRun(primary.chaos(), System.out::println);
            SupportAgent agent = agent(List.of(primary.target().build(), secondary.target().build()), tools, run);

            System.out.println("customer: " + REQUEST);
            Result<String> result = agent.handle(REQUEST);
            result.toolExecutions().forEach(execution -> System.out.println(
                    "    tool " + execution.request().name() + execution.request().arguments() + " -> " + execution.result()));
            System.out.println("agent:    " + result.content());
            System.out.println("model calls served by " + run.servedBy() + "; tools run: lookupOrder x" + tools.lookups()
                    + ", refund x" + tools.refunds());
        }
    }

    static SupportAgent agent(List<FailoverTarget> targets, OrderTools tools, FailoverListener listener) {
        return AiServices.builder(SupportAgent.class)
                .chatModel(FailoverChatLanguageModel.builder().targets(targets).listener(listener).build())
                .tools(tools)
                .chatMemory(MessageWindowChatMemory.withMaxMessages(20))
                .build();
    }
}
