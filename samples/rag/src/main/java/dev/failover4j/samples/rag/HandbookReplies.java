package dev.failover4j.samples.rag;

import dev.failover4j.testkit.RecordedChatRequest;
import dev.failover4j.testkit.Reply;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the chaos servers answer in place of a real model: the sentence of the retrieved excerpts (the
 * text after {@link #CONTENT_MARKER} in the newest user message) that shares the most words with the
 * question, prefixed with the server's name. So an answer is only right when the retrieved content
 * reached the model that served it.
 */
final class HandbookReplies implements Function<RecordedChatRequest, Reply> {

    /** How LangChain4j's {@code DefaultContentInjector} introduces the retrieved content. */
    static final String CONTENT_MARKER = "Answer using the following information:";

    private final String serverName;

    HandbookReplies(String serverName) {
        this.serverName = serverName;
    }

    @Override
    public Reply apply(RecordedChatRequest request) {
        String text = request.lastUserText();
        int marker = text.indexOf(CONTENT_MARKER);
        if (marker < 0) {
            return Reply.text("[" + serverName + "] I can only answer from the handbook.");
        }
        Set<String> questionWords = words(text.substring(0, marker));
        String best = Arrays.stream(text.substring(marker + CONTENT_MARKER.length()).split("(?<=\\.)\\s+|\\n+"))
                .map(String::strip)
                .filter(sentence -> !sentence.isEmpty() && !sentence.startsWith("#"))
                .max((a, b) -> Long.compare(overlap(a, questionWords), overlap(b, questionWords)))
                .orElse("nothing relevant was retrieved.");
        return Reply.text("[" + serverName + "] " + best);
    }

    private static long overlap(String sentence, Set<String> questionWords) {
        return words(sentence).stream().filter(questionWords::contains).count();
    }

    private static Set<String> words(String text) {
        List<String> all = Arrays.asList(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"));
        return all.stream().filter(word -> word.length() > 3 || word.chars().allMatch(Character::isDigit))
                .filter(word -> !word.isEmpty()).collect(Collectors.toSet());
    }
}
