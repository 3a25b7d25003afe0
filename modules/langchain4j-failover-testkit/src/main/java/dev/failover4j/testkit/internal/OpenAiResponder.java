package dev.failover4j.testkit.internal;

import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.FaultKind;
import dev.failover4j.testkit.RecordedChatRequest;
import dev.failover4j.testkit.Reply;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** The healthy behaviour of {@code ChaosOpenAiServer}: chat completions (plain and streamed) and the model list. */
public final class OpenAiResponder implements Responder {

    private final String name;
    private final String modelName;
    private final int contextWindow;
    private final Function<RecordedChatRequest, Reply> replyFunction;
    private final Duration chunkInterval;
    private final ChaosEngine engine;
    private final ConcurrentLinkedQueue<Reply> scripted = new ConcurrentLinkedQueue<>();
    private final AtomicLong ids = new AtomicLong();

    public OpenAiResponder(String name, String modelName, int contextWindow,
                           Function<RecordedChatRequest, Reply> replyFunction, Duration chunkInterval,
                           ChaosEngine engine) {
        this.name = name;
        this.modelName = modelName;
        this.contextWindow = contextWindow;
        this.replyFunction = replyFunction;
        this.chunkInterval = chunkInterval;
        this.engine = engine;
    }

    public void enqueue(Reply reply) {
        scripted.add(reply);
    }

    public void clearScript() {
        scripted.clear();
    }

    @Override
    public MockResponse.Builder respond(RecordedChatRequest request, RecordedRequest raw, Fault streamFault,
                                        Runnable served) {
        String path = request.path().replaceFirst("\\?.*$", "");
        if ("GET".equals(request.method()) && path.endsWith("/models")) {
            served.run();
            return FaultResponses.json(200, OpenAiJson.modelList(modelName, created(), "chaos-" + name));
        }
        if (!request.isChatCompletion()) {
            return FaultResponses.json(404, ErrorBodies.invalidUrl(request.method(), request.path()));
        }
        if (request.bodyJson().isMissingNode() || !request.bodyJson().isObject()) {
            return FaultResponses.json(400, ErrorBodies.invalidJson());
        }
        if (request.messageCount() == 0) {
            return FaultResponses.json(400, ErrorBodies.missingMessages());
        }
        int prompt = request.promptTokens();
        int maxTokens = request.maxTokens().orElse(0);
        if (prompt > contextWindow || (maxTokens > 0 && prompt + maxTokens > contextWindow)) {
            engine.countFault(FaultKind.CONTEXT_LENGTH_EXCEEDED);
            // The prompt alone too long gets the prompt-only wording, as OpenAI and vLLM do.
            return FaultResponses.json(400, ErrorBodies.contextLengthExceeded(engine.contextLengthWording(),
                    contextWindow, prompt, prompt > contextWindow ? 0 : maxTokens));
        }
        OpenAiJson.Completion completion = complete(request, reply(request));
        served.run();
        if (!request.stream()) {
            return FaultResponses.json(200, OpenAiJson.completion(completion));
        }
        List<String> events = new ArrayList<>();
        for (String chunk : OpenAiJson.chunks(completion, request.includeUsage())) {
            events.add("data: " + chunk);
        }
        events.add("data: [DONE]");
        MockResponse.Builder response = new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .setHeader("Cache-Control", "no-cache");
        return SseBody.attach(response,
                new SseBody(new ListEvents(events), streamFault, chunkInterval, engine.shutdownSignal()));
    }

    private Reply reply(RecordedChatRequest request) {
        Reply r = nextScripted(request.offersTools());
        if (r == null) {
            r = replyFunction.apply(request);
        }
        if (r == null || (r.isToolCall() && !request.offersTools())) {
            return defaultReply(name, request);
        }
        return r;
    }

    /** A scripted tool call waits for a request that offers tools; a scripted text goes to the next request. */
    private synchronized Reply nextScripted(boolean offersTools) {
        Reply next = scripted.peek();
        if (next == null || (next.isToolCall() && !offersTools)) {
            return null;
        }
        return scripted.poll();
    }

    /** {@code [name] answer to: <first 40 chars of the last user message>}. */
    public static Reply defaultReply(String name, RecordedChatRequest request) {
        String q = request.lastUserText();
        return Reply.text("[" + name + "] answer to: " + (q.length() > 40 ? q.substring(0, 40) : q));
    }

    private OpenAiJson.Completion complete(RecordedChatRequest request, Reply reply) {
        long n = ids.incrementAndGet();
        String id = String.format("chatcmpl-%s-%06d", name.replaceAll("[^A-Za-z0-9]", ""), n);
        String model = request.model() != null ? request.model() : modelName;
        if (reply.isToolCall()) {
            List<String> callIds = new ArrayList<>();
            int completionTokens = 0;
            for (int i = 0; i < reply.toolCalls().size(); i++) {
                // The server's name keeps ids unique across servers: a conversation that fails over meets several.
                callIds.add(String.format("call_%s_%06d_%d", name.replaceAll("[^A-Za-z0-9]", ""), n, i));
                completionTokens += engine.tokens().count(reply.toolCalls().get(i).name())
                        + engine.tokens().count(reply.toolCalls().get(i).argumentsJson());
            }
            return new OpenAiJson.Completion(id, created(), model, null, reply.toolCalls(), callIds, "tool_calls",
                    request.promptTokens(), completionTokens);
        }
        String text = reply.text();
        String finish = "stop";
        int max = request.maxTokens().orElse(0);
        if (max > 0) {
            String cut = engine.tokens().truncate(text, max);
            if (!cut.equals(text)) {
                text = cut;
                finish = "length";
            }
        }
        return new OpenAiJson.Completion(id, created(), model, text, List.of(), List.of(), finish,
                request.promptTokens(), engine.tokens().count(text));
    }

    private long created() {
        return engine.clock().instant().getEpochSecond();
    }

    /** Events of a reply computed up front. */
    static final class ListEvents implements EventSource {
        private final Iterator<String> it;

        ListEvents(List<String> events) {
            this.it = events.iterator();
        }

        @Override
        public String next() throws IOException {
            return it.hasNext() ? it.next() : null;
        }

        @Override
        public void close() {
        }
    }
}
