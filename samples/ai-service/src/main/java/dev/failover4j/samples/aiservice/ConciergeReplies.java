package dev.failover4j.samples.aiservice;

import dev.failover4j.testkit.RecordedChatRequest;
import dev.failover4j.testkit.Reply;
import java.util.function.Function;

/**
 * What the chaos servers answer in place of a real model (both servers answer alike, so any target
 * can take over any turn):
 *
 * <ul>
 *   <li>a request to continue a cut stream ({@link RecordedChatRequest#isContinuation()}): the rest of
 *       {@link #VIEW_ANSWER} after the {@linkplain RecordedChatRequest#partialAnswer() partial answer};</li>
 *   <li>a request for a {@link TripPlan} (a {@code response_format} JSON schema, or AI Services' format
 *       instructions in the user message): its JSON;</li>
 *   <li>the question about the view: {@link #VIEW_ANSWER}, whole;</li>
 *   <li>anything else: a short answer naming the server.</li>
 * </ul>
 */
final class ConciergeReplies implements Function<RecordedChatRequest, Reply> {

    /** The streamed answer; the test checks it arrives whole although the primary's stream is cut. */
    static final String VIEW_ANSWER = "From Miradouro da Senhora do Monte you see the castle, the red roofs of Mouraria "
            + "and the Tagus shining beyond the Baixa, best just before sunset.";

    private final String serverName;

    ConciergeReplies(String serverName) {
        this.serverName = serverName;
    }

    @Override
    public Reply apply(RecordedChatRequest request) {
        if (request.isContinuation()) {
            return Reply.text(VIEW_ANSWER.substring(request.partialAnswer().orElse("").length()));
        }
        String last = request.lastUserText();
        if (request.bodyTree().has("response_format") || last.contains("JSON")) {
            int days = last.contains("three days") ? 3 : 4;
            return Reply.text("{\"city\":\"Lisbon\",\"days\":" + days
                    + ",\"highlights\":[\"Alfama\",\"Belem\",\"Sintra\"" + (days == 4 ? ",\"LX Factory\"" : "") + "]}");
        }
        if (last.contains("Miradouro")) {
            return Reply.text(VIEW_ANSWER);
        }
        return Reply.text("[" + serverName + "] Noted: " + abbreviate(last));
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}
