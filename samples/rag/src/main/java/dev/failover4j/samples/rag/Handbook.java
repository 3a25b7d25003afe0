package dev.failover4j.samples.rag;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The bundled document set: an invented product handbook, split and embedded into an in-memory store. */
final class Handbook {

    static final List<String> FILES = List.of("warranty.md", "returns.md", "assembly.md", "troubleshooting.md", "shipping.md",
            "accessories.md", "safety.md", "faq.md");
    /** Segment size in characters (about 100 to 120 tokens of English). */
    static final int SEGMENT_CHARS = 500;
    static final int SEGMENT_OVERLAP_CHARS = 50;

    private Handbook() {}

    static List<Document> documents() {
        List<Document> documents = new ArrayList<>();
        for (String file : FILES) {
            try (InputStream in = Handbook.class.getResourceAsStream("/handbook/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource /handbook/" + file);
                }
                documents.add(Document.from(new String(in.readAllBytes(), StandardCharsets.UTF_8), Metadata.from("file", file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return documents;
    }

    /** Splits, embeds and stores every document; returns the store. */
    static EmbeddingStore<TextSegment> ingest(EmbeddingModel embeddingModel) {
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        EmbeddingStoreIngestor.builder()
                .documentSplitter(DocumentSplitters.recursive(SEGMENT_CHARS, SEGMENT_OVERLAP_CHARS))
                .embeddingModel(embeddingModel)
                .embeddingStore(store)
                .build()
                .ingest(documents());
        return store;
    }
}
