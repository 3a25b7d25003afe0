package dev.failover4j.samples.rag;

import dev.failover4j.samples.support.SampleEndpoint;

import dev.failover4j.FailoverChatLanguageModel;
import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverListener;
import dev.failover4j.FailoverTarget;
import dev.failover4j.FitStrategy;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.store.embedding.EmbeddingStore;
import java.util.List;
import java.util.Map;

/**
 * Drop-in proof for RAG: {@link EmbeddingStoreContentRetriever} + {@link DefaultRetrievalAugmentor} over
 * an in-memory store of a bundled handbook, embedded in process with all-MiniLM-L6-v2, answering
 * through {@link FailoverChatLanguageModel} while the primary is down and the next target is small.
 *
 * <p>Targets, in priority order: {@code primary} (128k window), {@code budget} (a cheap 2k-window
 * model) and {@code reserve} (32k). Fitting keeps the system message and the newest user message
 * (which carries the retrieved excerpts) whole and drops the oldest turns:
 * <ul>
 *   <li>{@link FitStrategy#TRUNCATE_FOR_PRIMARY} (default): {@code budget} answers with a truncated history;</li>
 *   <li>{@link FitStrategy#PREFER_FULL_HISTORY}: {@code reserve}, which holds the whole history, answers first;</li>
 *   <li>when the newest message alone (many excerpts) exceeds {@code budget}'s window, it is skipped as
 *       {@code CONTEXT_TOO_SMALL} and {@code reserve} answers.</li>
 * </ul>
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl samples/rag exec:java}; real endpoints
 * with {@code FAILOVER_PRIMARY_*}, {@code FAILOVER_BUDGET_*}, {@code FAILOVER_RESERVE_*}
 * ({@code BASE_URL}, {@code API_KEY}, {@code MODEL}, {@code WINDOW}).
 */
public final class RagSample {

    static final int PRIMARY_WINDOW = 128_000;
    static final int BUDGET_WINDOW = 2_000;
    static final int RESERVE_WINDOW = 32_000;
    /** Excerpts retrieved per question: fits the budget model's window with room for a little history. */
    static final int MAX_RESULTS = 5;
    /** Excerpts for a "deep dive" (about the whole handbook): the newest message alone no longer fits the budget model. */
    static final int DEEP_DIVE_MAX_RESULTS = 30;

    private RagSample() {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        EmbeddingModel embeddingModel = new AllMiniLmL6V2EmbeddingModel();
        EmbeddingStore<TextSegment> store = Handbook.ingest(embeddingModel);
        try (SampleEndpoint primary = SampleEndpoint.start("primary", PRIMARY_WINDOW, new HandbookReplies("primary"), env);
                SampleEndpoint budget = SampleEndpoint.start("budget", BUDGET_WINDOW, new HandbookReplies("budget"), env);
                SampleEndpoint reserve = SampleEndpoint.start("reserve", RESERVE_WINDOW, new HandbookReplies("reserve"), env)) {
            List<FailoverTarget> targets = List.of(primary.target().build(), budget.target().build(), reserve.target().build());
            FailoverListener print = RagSample::print;

            for (FitStrategy strategy : FitStrategy.values()) {
                System.out.println("=== " + strategy);
                primary.chaos().clearFaults();
                HandbookAssistant assistant = assistant(targets, strategy, retriever(store, embeddingModel, MAX_RESULTS),
                        MessageWindowChatMemory.withMaxMessages(40), print);
                RagConversation.run(assistant, primary.chaos(), System.out::println);
            }

            System.out.println("=== deep dive: " + DEEP_DIVE_MAX_RESULTS + " excerpts, primary still down");
            HandbookAssistant deepDive = assistant(targets, FitStrategy.TRUNCATE_FOR_PRIMARY,
                    retriever(store, embeddingModel, DEEP_DIVE_MAX_RESULTS), MessageWindowChatMemory.withMaxMessages(40), print);
            RagConversation.ask(deepDive, RagConversation.QUESTION_DURING_OUTAGE, System.out::println);
        }
    }

    static ContentRetriever retriever(EmbeddingStore<TextSegment> store, EmbeddingModel embeddingModel, int maxResults) {
        return EmbeddingStoreContentRetriever.builder()
                .embeddingStore(store)
                .embeddingModel(embeddingModel)
                .maxResults(maxResults)
                .build();
    }

    static HandbookAssistant assistant(List<FailoverTarget> targets, FitStrategy strategy, ContentRetriever retriever,
            ChatMemory memory, FailoverListener listener) {
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(targets)
                .fitStrategy(strategy)
                .listener(listener)
                .build();
        return AiServices.builder(HandbookAssistant.class)
                .chatModel(model)
                .retrievalAugmentor(DefaultRetrievalAugmentor.builder().contentRetriever(retriever).build())
                .chatMemory(memory)   // stores each question with its excerpts, so the history grows fast
                .build();
    }

    private static void print(FailoverEvent event) {
        if (event instanceof FailoverEvent.HistoryTruncated truncated) {
            System.out.printf("    fitted for %s: %d -> %d messages, %d -> %d tokens (budget %d)%n", truncated.target(),
                    truncated.messagesBefore(), truncated.messagesAfter(), truncated.tokensBefore(), truncated.tokensAfter(),
                    truncated.budgetTokens());
        } else if (event instanceof FailoverEvent.TargetSkipped skipped) {
            System.out.println("    skipped " + skipped.target() + ": " + skipped.reason() + " " + skipped.detail());
        }
    }
}
