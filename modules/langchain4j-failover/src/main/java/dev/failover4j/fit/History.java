package dev.failover4j.fit;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;

import java.util.Arrays;
import java.util.List;

/**
 * The shape of one history: where its system messages are, where the newest turn starts, and how
 * its other messages group into units that are kept or dropped whole. Internal.
 *
 * <p>Built by one pass of null and {@code instanceof} checks (no text is touched), so it is cheap
 * even for long histories. A unit is a single message, or an {@link AiMessage} with tool execution
 * requests together with the {@link ToolExecutionResultMessage}s that directly follow it. Tool
 * results with no such message before them (an input that is already broken) form a unit of their
 * own: they are kept or dropped like any other unit, never repaired. System messages are not part of
 * any unit; they are always kept.
 */
final class History {

    private final List<ChatMessage> messages;
    private final int[] systemIndices;
    private final int systemCount;
    private final int firstNonSystem;
    private final int requiredStart;

    private History(List<ChatMessage> messages, int[] systemIndices, int systemCount,
                    int firstNonSystem, int lastUser) {
        this.messages = messages;
        this.systemIndices = systemIndices;
        this.systemCount = systemCount;
        this.firstNonSystem = firstNonSystem;
        this.requiredStart = lastUser >= 0 ? lastUser : lastUnitStart();
    }

    /** Scans {@code messages}, failing on the first null element. */
    static History of(List<ChatMessage> messages) {
        int size = messages.size();
        int[] systems = new int[4];
        int systemCount = 0;
        int firstNonSystem = size;
        int lastUser = -1;
        int i = 0;
        for (ChatMessage message : messages) {
            if (message == null) {
                throw new NullPointerException("messages[" + i + "] is null");
            }
            if (message instanceof SystemMessage) {
                if (systemCount == systems.length) {
                    systems = Arrays.copyOf(systems, systemCount * 2);
                }
                systems[systemCount++] = i;
            } else {
                firstNonSystem = Math.min(firstNonSystem, i);
                if (message instanceof UserMessage) {
                    lastUser = i;
                }
            }
            i++;
        }
        return new History(messages, systems, systemCount, firstNonSystem, lastUser);
    }

    int size() {
        return messages.size();
    }

    ChatMessage get(int index) {
        return messages.get(index);
    }

    boolean isSystem(int index) {
        return messages.get(index) instanceof SystemMessage;
    }

    int systemCount() {
        return systemCount;
    }

    int systemIndex(int n) {
        return systemIndices[n];
    }

    /** Index of the first non-system message, or {@link #size()} when there is none. */
    int firstNonSystem() {
        return firstNonSystem;
    }

    /**
     * Start of the part that is always kept: the newest {@link UserMessage}, or the last unit when
     * there is no user message ({@link #size()} when there are only system messages).
     */
    int requiredStart() {
        return requiredStart;
    }

    /** Start of the unit that ends at {@code end}, a non-system index. */
    int unitStart(int end) {
        if (!(messages.get(end) instanceof ToolExecutionResultMessage)) {
            return end;
        }
        int firstResult = end;
        int i = end - 1;
        while (i >= 0) {
            ChatMessage message = messages.get(i);
            if (message instanceof ToolExecutionResultMessage) {
                firstResult = i;
            } else if (!(message instanceof SystemMessage)) {
                break;
            }
            i--;
        }
        if (i >= 0 && messages.get(i) instanceof AiMessage ai && ai.hasToolExecutionRequests()) {
            return i;
        }
        return firstResult;
    }

    /** The nearest non-system index at or before {@code index}, or -1. */
    int previousNonSystem(int index) {
        int i = index;
        while (i >= 0 && isSystem(i)) {
            i--;
        }
        return i;
    }

    private int lastUnitStart() {
        int last = previousNonSystem(messages.size() - 1);
        return last < 0 ? messages.size() : unitStart(last);
    }
}
