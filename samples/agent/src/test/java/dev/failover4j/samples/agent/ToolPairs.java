package dev.failover4j.samples.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.failover4j.testkit.RecordedChatRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Finds broken tool pairs in a request as a provider would reject them. */
final class ToolPairs {

    private ToolPairs() {}

    /**
     * @return one line per problem: a {@code tool} message whose {@code tool_call_id} no preceding
     *         assistant {@code tool_calls} entry has, or an assistant tool call no later {@code tool}
     *         message answers; empty when every pair is intact
     */
    static List<String> problems(RecordedChatRequest request) {
        List<String> problems = new ArrayList<>();
        Set<String> called = new HashSet<>();
        Set<String> answered = new HashSet<>();
        JsonNode messages = request.bodyTree().path("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            for (JsonNode call : message.path("tool_calls")) {
                called.add(call.path("id").asText());
            }
            if (message.path("role").asText().equals("tool")) {
                String id = message.path("tool_call_id").asText();
                if (!called.contains(id)) {
                    problems.add("message " + i + ": orphan tool result " + id);
                }
                answered.add(id);
            }
        }
        called.stream().filter(id -> !answered.contains(id)).forEach(id -> problems.add("unanswered tool call " + id));
        return problems;
    }
}
