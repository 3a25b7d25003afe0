package dev.failover4j.samples.rag;

import dev.failover4j.samples.support.SampleEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverEvent.HistoryTruncated;
import dev.failover4j.FailoverEvent.TargetSkipped;
import dev.failover4j.FailoverTarget;
import dev.failover4j.FitStrategy;
import dev.failover4j.SkipReason;
import dev.failover4j.samples.rag.RagConversation.Turn;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.RecordedChatRequest;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The RAG sample against chaos servers: answers keep coming while the primary is down and the next target is small. */
class RagSampleTest {

    private static EmbeddingModel embeddingModel;
    private static EmbeddingStore<TextSegment> store;

    private SampleEndpoint primary;
    private SampleEndpoint budget;
    private SampleEndpoint reserve;
    private List<FailoverTarget> targets;
    private final List<FailoverEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void ingest() {
        embeddingModel = new AllMiniLmL6V2EmbeddingModel();
        store = Handbook.ingest(embeddingModel);
    }

    @BeforeEach
    void start() {
        primary = SampleEndpoint.start("primary", RagSample.PRIMARY_WINDOW, new HandbookReplies("primary"), Map.of());
        budget = SampleEndpoint.start("budget", RagSample.BUDGET_WINDOW, new HandbookReplies("budget"), Map.of());
        reserve = SampleEndpoint.start("reserve", RagSample.RESERVE_WINDOW, new HandbookReplies("reserve"), Map.of());
        targets = List.of(primary.target().build(), budget.target().build(), reserve.target().build());
    }

    @AfterEach
    void stop() {
        primary.close();
        budget.close();
        reserve.close();
    }

    @Test
    void should_answer_from_the_small_target_with_a_truncated_history_when_the_primary_is_down() {
        // given
        HandbookAssistant assistant = assistant(FitStrategy.TRUNCATE_FOR_PRIMARY, RagSample.MAX_RESULTS);

        // when
        List<Turn> turns = RagConversation.run(assistant, primary.chaos(), line -> {});

        // then: the answer comes from the budget target, grounded in the retrieved returns policy
        assertThat(turns).extracting(Turn::servedBy).containsExactly("primary", "primary", "primary", "budget");
        assertThat(turns.get(3).answer()).isEqualTo("[budget] You can return the desk for any reason within 30 days of delivery.");
        // the history was cut for the budget target, and only for it
        assertThat(events).filteredOn(HistoryTruncated.class::isInstance).singleElement()
                .isInstanceOfSatisfying(HistoryTruncated.class, truncated -> {
                    assertThat(truncated.target()).isEqualTo("budget");
                    assertThat(truncated.messagesAfter()).isLessThan(truncated.messagesBefore());
                    assertThat(truncated.tokensBefore()).isGreaterThan(truncated.budgetTokens());
                });
        HistoryTruncated truncated = (HistoryTruncated) events.stream().filter(HistoryTruncated.class::isInstance).findFirst().orElseThrow();
        RecordedChatRequest sent = budget.chaos().requests().get(0);
        assertThat(budget.chaos().requests()).hasSize(1);
        assertThat(sent.promptTokens()).isLessThanOrEqualTo(truncated.budgetTokens()).isLessThan(RagSample.BUDGET_WINDOW);
        assertThat(sent.messageCount()).isEqualTo(truncated.messagesAfter());
        // kept: the system message, then whole turns starting with a user message, then the newest question with its excerpts
        List<String> roles = roles(sent);
        assertThat(roles.get(0)).isEqualTo("system");
        assertThat(roles.get(1)).isEqualTo("user");
        assertThat(roles.get(roles.size() - 1)).isEqualTo("user");
        assertThat(sent.lastUserText()).startsWith(RagConversation.QUESTION_DURING_OUTAGE)
                .contains(HandbookReplies.CONTENT_MARKER, "within 30 days of delivery");
        // the primary's requests carried the whole history
        assertThat(primary.chaos().requests().get(2).messageCount()).isEqualTo(1 + 2 * 2 + 1);
    }

    @Test
    void should_answer_from_the_larger_fallback_with_the_whole_history_when_preferring_full_history() {
        // given
        HandbookAssistant assistant = assistant(FitStrategy.PREFER_FULL_HISTORY, RagSample.MAX_RESULTS);

        // when
        List<Turn> turns = RagConversation.run(assistant, primary.chaos(), line -> {});

        // then
        assertThat(turns).extracting(Turn::servedBy).containsExactly("primary", "primary", "primary", "reserve");
        assertThat(turns.get(3).answer()).contains("within 30 days of delivery");
        assertThat(events).noneMatch(HistoryTruncated.class::isInstance);
        assertThat(budget.chaos().requestCount()).isZero();
        assertThat(reserve.chaos().requests()).singleElement()
                .satisfies(sent -> assertThat(sent.messageCount()).isEqualTo(1 + 3 * 2 + 1));
    }

    @Test
    void should_skip_the_small_target_when_the_retrieved_excerpts_alone_exceed_its_window() {
        // given
        HandbookAssistant deepDive = assistant(FitStrategy.TRUNCATE_FOR_PRIMARY, RagSample.DEEP_DIVE_MAX_RESULTS);
        primary.chaos().inject(Fault.httpStatus(503));

        // when
        Turn turn = RagConversation.ask(deepDive, RagConversation.QUESTION_DURING_OUTAGE, line -> {});

        // then: budget is not called at all (no network call), reserve answers with every excerpt
        assertThat(turn.servedBy()).isEqualTo("reserve");
        assertThat(events).filteredOn(TargetSkipped.class::isInstance).singleElement()
                .isInstanceOfSatisfying(TargetSkipped.class, skipped -> {
                    assertThat(skipped.target()).isEqualTo("budget");
                    assertThat(skipped.reason()).isEqualTo(SkipReason.CONTEXT_TOO_SMALL);
                });
        assertThat(budget.chaos().requestCount()).isZero();
        assertThat(reserve.chaos().requests().get(0).promptTokens()).isGreaterThan(RagSample.BUDGET_WINDOW);
    }

    private HandbookAssistant assistant(FitStrategy strategy, int maxResults) {
        return RagSample.assistant(targets, strategy, RagSample.retriever(store, embeddingModel, maxResults),
                MessageWindowChatMemory.withMaxMessages(40), events::add);
    }

    private static List<String> roles(RecordedChatRequest request) {
        List<String> roles = new ArrayList<>();
        for (JsonNode message : request.bodyTree().path("messages")) {
            roles.add(message.path("role").asText());
        }
        return roles;
    }
}
