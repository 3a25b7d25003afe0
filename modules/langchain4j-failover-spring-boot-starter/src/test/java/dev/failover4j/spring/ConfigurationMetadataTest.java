package dev.failover4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The configuration metadata IDEs read is generated, covers every key and documents each. */
class ConfigurationMetadataTest {

    @Test
    void should_describe_every_property_when_the_metadata_is_generated() throws IOException {
        // when
        Map<String, JsonNode> properties = properties();

        // then
        assertThat(properties.keySet()).allMatch(k -> k.startsWith("langchain4j.failover.") || k.startsWith("management."))
                .contains(
                        "langchain4j.failover.enabled", "langchain4j.failover.targets", "langchain4j.failover.deadline",
                        "langchain4j.failover.attempt-timeout", "langchain4j.failover.max-retries",
                        "langchain4j.failover.max-connection-retries", "langchain4j.failover.routing",
                        "langchain4j.failover.least-latency-exploration",
                        "langchain4j.failover.backoff.initial", "langchain4j.failover.backoff.max",
                        "langchain4j.failover.backoff.factor", "langchain4j.failover.backoff.jitter",
                        "langchain4j.failover.breaker.consecutive-failures", "langchain4j.failover.breaker.failure-rate-threshold",
                        "langchain4j.failover.breaker.failure-rate-window", "langchain4j.failover.breaker.delay",
                        "langchain4j.failover.breaker.half-open-successes",
                        "langchain4j.failover.cooldown.rate-limit", "langchain4j.failover.cooldown.max-retry-after",
                        "langchain4j.failover.cooldown.model-not-found", "langchain4j.failover.cooldown.region-blocked",
                        "langchain4j.failover.fitting.strategy", "langchain4j.failover.fitting.default-reserved-output-tokens",
                        "langchain4j.failover.fitting.start-with-user-message",
                        "langchain4j.failover.streaming.first-token-timeout", "langchain4j.failover.streaming.idle-timeout",
                        "langchain4j.failover.streaming.partial-response-policy",
                        "langchain4j.failover.hedging.delay", "langchain4j.failover.hedging.percentile",
                        "langchain4j.failover.hedging.floor", "langchain4j.failover.hedging.ceiling",
                        "langchain4j.failover.hedging.max-extra-load",
                        "langchain4j.failover.probes.interval", "langchain4j.failover.probes.failures-before-alert",
                        "langchain4j.failover.probes.include-healthy",
                        "langchain4j.failover.alerts.logging", "langchain4j.failover.alerts.webhook-url",
                        "langchain4j.failover.canaries",
                        "langchain4j.failover.redis.uri", "langchain4j.failover.redis.namespace",
                        "langchain4j.failover.redis.command-timeout", "langchain4j.failover.redis.sync-interval");
        List<String> undocumented = new ArrayList<>();
        properties.forEach((name, property) -> {
            if (name.startsWith("langchain4j.") && property.path("description").asText("").isBlank()) {
                undocumented.add(name);
            }
        });
        assertThat(undocumented).as("properties without a description").isEmpty();
        assertThat(properties.get("langchain4j.failover.routing").path("type").asText()).endsWith("FailoverProperties$Routing");
        assertThat(properties.get("langchain4j.failover.targets").path("type").asText())
                .isEqualTo("java.util.List<dev.failover4j.spring.FailoverTargetProperties>");
        assertThat(properties.get("langchain4j.failover.enabled").path("defaultValue").asBoolean()).isTrue();
        assertThat(properties.get("langchain4j.failover.probes.include-healthy").path("defaultValue").isBoolean()).isTrue();
        assertThat(properties.get("langchain4j.failover.probes.include-healthy").path("defaultValue").asBoolean()).isFalse();
        assertThat(properties.get("langchain4j.failover.hedging.delay").path("type").asText()).isEqualTo("java.time.Duration");
        assertThat(properties.get("langchain4j.failover.hedging.max-extra-load").path("description").asText())
                .contains("default 0.1");
        assertThat(properties.get("langchain4j.failover.redis.uri").path("type").asText()).isEqualTo("java.lang.String");
        assertThat(properties.get("langchain4j.failover.redis.uri").path("description").asText()).contains("${REDIS_URL}");
        assertThat(properties.get("langchain4j.failover.redis.namespace").path("description").asText())
                .contains("spring.application.name", "langchain4j-failover");
        assertThat(properties.get("langchain4j.failover.redis.command-timeout").path("type").asText()).isEqualTo("java.time.Duration");
        assertThat(properties.get("langchain4j.failover.redis.sync-interval").path("description").asText()).contains("default 5s");
    }

    private static Map<String, JsonNode> properties() throws IOException {
        try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated by spring-boot-configuration-processor").isNotNull();
            Map<String, JsonNode> properties = new TreeMap<>();
            new ObjectMapper().readTree(in).path("properties").forEach(p -> properties.put(p.path("name").asText(), p));
            return properties;
        }
    }
}
