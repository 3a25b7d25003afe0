package dev.failover4j.testkit.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover4j.testkit.Reply;

import java.util.ArrayList;
import java.util.List;

/** Builds OpenAI chat.completion and chat.completion.chunk JSON the way api.openai.com shapes them. */
final class OpenAiJson {

    private OpenAiJson() {
    }

    /** The finished reply of one request: ids are decided once so stream and usage agree. */
    record Completion(String id, long created, String model, String text, List<Reply.ToolCall> toolCalls,
                      List<String> toolCallIds, String finishReason, int promptTokens, int completionTokens) {

        boolean isToolCall() {
            return !toolCalls.isEmpty();
        }
    }

    static String completion(Completion c) {
        ObjectNode root = header(c, "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (c.isToolCall()) {
            message.putNull("content");
            ArrayNode calls = message.putArray("tool_calls");
            for (int i = 0; i < c.toolCalls().size(); i++) {
                ObjectNode call = calls.addObject();
                call.put("id", c.toolCallIds().get(i));
                call.put("type", "function");
                call.putObject("function")
                        .put("name", c.toolCalls().get(i).name())
                        .put("arguments", c.toolCalls().get(i).argumentsJson());
            }
        } else {
            message.put("content", c.text());
        }
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", c.finishReason());
        usage(root.putObject("usage"), c);
        return root.toString();
    }

    /** Every SSE {@code data:} payload of a streamed reply, in order, without the final {@code [DONE]}. */
    static List<String> chunks(Completion c, boolean includeUsage) {
        List<String> out = new ArrayList<>();
        if (c.isToolCall()) {
            ObjectNode first = delta();
            first.put("role", "assistant");
            first.putNull("content");
            out.add(wrap(c, first, null, includeUsage));
            for (int i = 0; i < c.toolCalls().size(); i++) {
                Reply.ToolCall call = c.toolCalls().get(i);
                ObjectNode start = delta();
                ObjectNode tc = start.putArray("tool_calls").addObject();
                tc.put("index", i).put("id", c.toolCallIds().get(i)).put("type", "function");
                tc.putObject("function").put("name", call.name()).put("arguments", "");
                out.add(wrap(c, start, null, includeUsage));
                for (String fragment : fragments(call.argumentsJson(), 8)) {
                    ObjectNode args = delta();
                    args.putArray("tool_calls").addObject().put("index", i)
                            .putObject("function").put("arguments", fragment);
                    out.add(wrap(c, args, null, includeUsage));
                }
            }
        } else {
            ObjectNode first = delta();
            first.put("role", "assistant").put("content", "").putNull("refusal");
            out.add(wrap(c, first, null, includeUsage));
            for (String piece : words(c.text())) {
                out.add(wrap(c, delta().put("content", piece), null, includeUsage));
            }
        }
        out.add(wrap(c, delta(), c.finishReason(), includeUsage));
        if (includeUsage) {
            ObjectNode last = header(c, "chat.completion.chunk");
            last.putArray("choices");
            usage(last.putObject("usage"), c);
            out.add(last.toString());
        }
        return out;
    }

    static String modelList(String model, long created, String owner) {
        ObjectNode root = RequestParser.JSON.createObjectNode();
        root.put("object", "list");
        root.putArray("data").addObject()
                .put("id", model).put("object", "model").put("created", created).put("owned_by", owner);
        return root.toString();
    }

    /** {@code {"error":{"message","type","param","code"}}}; a null type/param/code is written as null. */
    static ObjectNode error(String message, String type, String param, String code) {
        ObjectNode root = RequestParser.JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root;
    }

    private static ObjectNode header(Completion c, String object) {
        ObjectNode root = RequestParser.JSON.createObjectNode();
        root.put("id", c.id());
        root.put("object", object);
        root.put("created", c.created());
        root.put("model", c.model());
        root.put("system_fingerprint", "fp_chaos");
        return root;
    }

    private static ObjectNode delta() {
        return RequestParser.JSON.createObjectNode();
    }

    private static String wrap(Completion c, ObjectNode delta, String finishReason, boolean includeUsage) {
        ObjectNode root = header(c, "chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (includeUsage) {
            root.putNull("usage");
        }
        return root.toString();
    }

    private static void usage(ObjectNode usage, Completion c) {
        usage.put("prompt_tokens", c.promptTokens());
        usage.put("completion_tokens", c.completionTokens());
        usage.put("total_tokens", c.promptTokens() + c.completionTokens());
    }

    /** Splits before each whitespace run, so the pieces concatenate back to {@code text}. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        for (String piece : text.split("(?<=\\S)(?=\\s)")) {
            if (!piece.isEmpty()) {
                out.add(piece);
            }
        }
        return out;
    }

    static List<String> fragments(String text, int size) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int end = Math.min(text.length(), i + size);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end++;
            }
            out.add(text.substring(i, end));
            i = end;
        }
        return out;
    }
}
