package dev.failover4j.testkit;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Real LangChain4j clients (and a raw JDK client) pointed at a chaos endpoint; every wait is bounded. */
final class Clients {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final String API_KEY = "sk-test-0123456789abcdef";

    private Clients() {
    }

    static JdkHttpClientBuilder http11() {
        return JdkHttpClient.builder()
                .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1));
    }

    static OpenAiChatModel chatModel(String baseUrl) {
        return OpenAiChatModel.builder()
                .httpClientBuilder(http11())
                .baseUrl(baseUrl)
                .apiKey(API_KEY)
                .modelName("gpt-4o-mini")
                .maxRetries(0)
                .timeout(TIMEOUT)
                .build();
    }

    static OpenAiStreamingChatModel streamingModel(String baseUrl) {
        return OpenAiStreamingChatModel.builder()
                .httpClientBuilder(http11())
                .baseUrl(baseUrl)
                .apiKey(API_KEY)
                .modelName("gpt-4o-mini")
                .timeout(TIMEOUT)
                .build();
    }

    static HttpClient raw() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    static HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return raw().send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(TIMEOUT)
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + API_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return raw().send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String chatJson(String userText, boolean stream) {
        return "{\"model\":\"gpt-4o-mini\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + userText + "\"}]}";
    }

    /** Records every callback of a streaming call. */
    static final class StreamRecorder implements StreamingChatResponseHandler {
        final List<String> partials = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicReference<ChatResponse> complete = new AtomicReference<>();
        final CountDownLatch firstPartial = new CountDownLatch(1);
        final CountDownLatch errored = new CountDownLatch(1);
        final CountDownLatch completed = new CountDownLatch(1);
        final CountDownLatch terminal = new CountDownLatch(1);

        static StreamRecorder start(OpenAiStreamingChatModel model, ChatRequest request) {
            StreamRecorder r = new StreamRecorder();
            model.chat(request, r);
            return r;
        }

        @Override
        public void onPartialResponse(String partialResponse) {
            partials.add(partialResponse);
            firstPartial.countDown();
        }

        @Override
        public void onCompleteResponse(ChatResponse completeResponse) {
            complete.set(completeResponse);
            completed.countDown();
            terminal.countDown();
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
            errored.countDown();
            terminal.countDown();
        }

        String text() {
            return String.join("", partials);
        }

        static boolean await(CountDownLatch latch) throws InterruptedException {
            return latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
