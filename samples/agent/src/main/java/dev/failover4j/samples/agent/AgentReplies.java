package dev.failover4j.samples.agent;

import dev.failover4j.testkit.RecordedChatRequest;
import dev.failover4j.testkit.RecordedChatRequest.ToolResult;
import dev.failover4j.testkit.Reply;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Function;

/**
 * What the chaos servers answer in place of a real model, from the request's messages alone (so any
 * server can take over mid-loop):
 * <ul>
 *   <li>last message from the user: call {@code lookupOrder} for the order id it names;</li>
 *   <li>last message a result of {@code lookupOrder}: call {@code refund} for the amount it reports;</li>
 *   <li>last message a result of {@code refund}: answer with text quoting it.</li>
 * </ul>
 * A tool result is matched to its tool by {@code tool_call_id}, as a real model would: to the nearest
 * preceding assistant call with that id ({@link RecordedChatRequest#lastToolResult()} does this).
 */
final class AgentReplies implements Function<RecordedChatRequest, Reply> {

    private static final Pattern ORDER_ID = Pattern.compile("[A-Z]-\\d+");
    private static final Pattern AMOUNT = Pattern.compile("amount (\\d+\\.\\d+) EUR");

    private final String serverName;

    AgentReplies(String serverName) {
        this.serverName = serverName;
    }

    @Override
    public Reply apply(RecordedChatRequest request) {
        String orderId = find(ORDER_ID, request.lastUserText(), "A-1001");
        Optional<ToolResult> toolResult = request.lastToolResult();
        if (toolResult.isEmpty()) {
            return Reply.toolCall("lookupOrder", "{\"orderId\":\"" + orderId + "\"}");
        }
        String result = toolResult.get().content();
        if (toolResult.get().toolName().equals("lookupOrder")) {
            return Reply.toolCall("refund", "{\"orderId\":\"" + orderId + "\",\"amount\":" + find(AMOUNT, result, "0.00") + "}");
        }
        return Reply.text("[" + serverName + "] Sorry about the cracked leg: I refunded you in full (" + result + ").");
    }

    private static String find(Pattern pattern, String text, String otherwise) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? (matcher.groupCount() > 0 ? matcher.group(1) : matcher.group()) : otherwise;
    }
}
