package dev.failover4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverTarget;
import dev.failover4j.Hedging;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.data.message.UserMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Hedges count under the target of the hedged attempt: started, and won when it answered first. */
class HedgeMetricsTest {

    private static FailoverTarget target(ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(server.name()).baseUrl(server.baseUrl()).apiKey("sk-test-" + server.name() + "-000000")
                .modelName("gpt-4o-mini").contextWindowTokens(16_000).build();
    }

    @Test
    void should_count_a_hedge_started_on_the_backup_and_won_by_it_when_the_primary_is_slow() {
        try (ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").replyText("slow").build().start();
                ChaosOpenAiServer backup = ChaosOpenAiServer.builder().name("backup").replyText("fast").build().start();
                FailoverGroup group = FailoverGroup.builder().targets(target(primary), target(backup))
                        .hedging(Hedging.after(Duration.ofMillis(100)).maxExtraLoad(1.0)).build()) {
            // given
            primary.inject(Fault.latency(Duration.ofSeconds(3)));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            FailoverMetrics.bind(group, registry);
            // when
            String answer = group.chatModel().chat(UserMessage.from("hi")).aiMessage().text();
            // then
            assertThat(answer).isEqualTo("fast");
            assertThat(registry.get(FailoverMetrics.HEDGES).tag("target", "backup").tag("outcome", "started").counter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get(FailoverMetrics.HEDGES).tag("target", "backup").tag("outcome", "won").counter().count())
                    .isEqualTo(1.0);
            assertThat(registry.find(FailoverMetrics.HEDGES).tag("target", "primary").counter()).isNull();
        }
    }
}
