package dev.failover4j.samples.aiservice;

import dev.failover4j.samples.support.SampleEndpoint;

import static dev.failover4j.samples.aiservice.ConciergeReplies.VIEW_ANSWER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.FailoverTarget;
import dev.failover4j.samples.aiservice.ConciergeConversation.Turn;
import dev.failover4j.testkit.RecordedChatRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sample's conversation against chaos servers: every turn answered while the primary fails. */
class AiServiceSampleTest {

    private SampleEndpoint primary;
    private SampleEndpoint secondary;
    private final ChatMemory memory = MessageWindowChatMemory.withMaxMessages(20);

    @BeforeEach
    void start() {
        primary = SampleEndpoint.start("primary", AiServiceSample.DEFAULT_WINDOW, new ConciergeReplies("primary"), Map.of());
        secondary = SampleEndpoint.start("secondary", AiServiceSample.DEFAULT_WINDOW, new ConciergeReplies("secondary"), Map.of());
    }

    @AfterEach
    void stop() {
        primary.close();
        secondary.close();
    }

    @Test
    void should_answer_every_turn_and_keep_the_whole_conversation_when_the_primary_fails_midway() {
        // given
        Concierge concierge = AiServiceSample.concierge(
                List.of(AiServiceSample.target(primary, true), AiServiceSample.target(secondary, true)), memory);

        // when
        List<Turn> turns = ConciergeConversation.run(concierge, primary.chaos(), line -> {});

        // then: which target served each turn (read from Result.finalResponse().metadata())
        assertThat(turns).extracting(Turn::servedBy).containsExactly(
                List.of("primary"), List.of("primary"),
                List.of("secondary"), List.of("secondary"),
                List.of("primary", "secondary"));
        assertThat(turns.get(0).answer()).isEqualTo("[primary] Noted: " + turns.get(0).question().substring(0, 60) + "...");
        assertThat(turns.get(1).answer()).isEqualTo(new TripPlan("Lisbon", 4, List.of("Alfama", "Belem", "Sintra", "LX Factory")));
        assertThat(turns.get(2).answer()).isEqualTo("[secondary] Noted: " + turns.get(2).question());
        assertThat(turns.get(3).answer()).isEqualTo(new TripPlan("Lisbon", 3, List.of("Alfama", "Belem", "Sintra")));
        // the streamed answer is whole, both as streamed and as completed
        assertThat(turns.get(4).streamedText()).isEqualTo(VIEW_ANSWER);
        assertThat(turns.get(4).answer()).isEqualTo(VIEW_ANSWER);
        // the memory holds the system message and all five exchanges, in order
        List<ChatMessage> messages = memory.messages();
        assertThat(messages).hasSize(11);
        assertThat(messages.get(0)).isInstanceOf(SystemMessage.class);
        for (int turn = 0; turn < 5; turn++) {
            assertThat(((UserMessage) messages.get(1 + 2 * turn)).singleText()).startsWith(turns.get(turn).question());
            assertThat(messages.get(2 + 2 * turn)).isInstanceOf(AiMessage.class);
        }
        assertThat(((AiMessage) messages.get(10)).text()).isEqualTo(VIEW_ANSWER);
        // the fallback received the whole memory: the turn-3 request carried turns 1 and 2
        assertThat(secondary.chaos().requests().get(0).messageCount()).isEqualTo(1 + 2 * 2 + 1);
    }

    @Test
    void should_send_a_json_schema_when_every_target_declares_the_capability() {
        // given
        Concierge concierge = AiServiceSample.concierge(
                List.of(AiServiceSample.target(primary, true), AiServiceSample.target(secondary, true)), memory);

        // when
        ConciergeConversation.run(concierge, primary.chaos(), line -> {});

        // then: turn 2 on the primary and turn 4 on the secondary used response_format, no instructions
        RecordedChatRequest planOnPrimary = primary.chaos().requests().get(1);
        RecordedChatRequest planOnSecondary = secondary.chaos().requests().get(1);
        for (RecordedChatRequest plan : List.of(planOnPrimary, planOnSecondary)) {
            assertThat(plan.bodyTree().path("response_format").path("type").asText()).isEqualTo("json_schema");
            assertThat(plan.bodyTree().path("response_format").path("json_schema").path("strict").asBoolean()).isTrue();
            assertThat(plan.lastUserText()).doesNotContain("JSON");
        }
    }

    @Test
    void should_fall_back_to_format_instructions_when_one_target_lacks_json_schema() {
        // given: only the primary declares RESPONSE_FORMAT_JSON_SCHEMA; the failover model offers the intersection
        List<FailoverTarget> targets = List.of(AiServiceSample.target(primary, true), AiServiceSample.target(secondary, false));
        Concierge concierge = AiServiceSample.concierge(targets, memory);

        // when
        List<Turn> turns = ConciergeConversation.run(concierge, primary.chaos(), line -> {});

        // then: structured output still works on both targets, through instructions in the user message
        assertThat(turns.get(1).answer()).isInstanceOf(TripPlan.class);
        assertThat(turns.get(3).answer()).isEqualTo(new TripPlan("Lisbon", 3, List.of("Alfama", "Belem", "Sintra")));
        RecordedChatRequest planOnSecondary = secondary.chaos().requests().get(1);
        assertThat(planOnSecondary.bodyTree().has("response_format")).isFalse();
        assertThat(planOnSecondary.lastUserText()).contains("You must answer strictly in the following JSON format");
    }
}
