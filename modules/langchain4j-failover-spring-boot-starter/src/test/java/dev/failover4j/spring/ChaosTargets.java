package dev.failover4j.spring;

import dev.failover4j.testkit.ChaosOpenAiServer;
import java.util.ArrayList;
import java.util.List;

/** Two in-process chaos servers on loopback and the properties that make them the group's targets. */
final class ChaosTargets implements AutoCloseable {

    static final String PRIMARY_KEY = "sk-test-primary-4f9a2c7e1b";
    static final String SECONDARY_KEY = "sk-test-secondary-8d3b6e0a5f";

    final ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").replyText("from primary").build().start();
    final ChaosOpenAiServer secondary = ChaosOpenAiServer.builder().name("secondary").replyText("from secondary").build().start();

    /** @return {@code key=value} pairs configuring both servers as targets 0 and 1 */
    String[] properties(String... more) {
        List<String> properties = new ArrayList<>(List.of(
                "langchain4j.failover.targets[0].name=primary",
                "langchain4j.failover.targets[0].base-url=" + primary.baseUrl(),
                "langchain4j.failover.targets[0].api-key=" + PRIMARY_KEY,
                "langchain4j.failover.targets[0].model=gpt-4o-mini",
                "langchain4j.failover.targets[0].context-window=16000",
                "langchain4j.failover.targets[1].name=secondary",
                "langchain4j.failover.targets[1].base-url=" + secondary.baseUrl(),
                "langchain4j.failover.targets[1].api-key=" + SECONDARY_KEY,
                "langchain4j.failover.targets[1].model=gpt-4o-mini",
                "langchain4j.failover.targets[1].context-window=16000"));
        properties.addAll(List.of(more));
        return properties.toArray(String[]::new);
    }

    void reset() {
        primary.reset();
        secondary.reset();
    }

    @Override
    public void close() {
        primary.close();
        secondary.close();
    }
}
