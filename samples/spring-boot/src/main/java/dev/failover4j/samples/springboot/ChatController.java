package dev.failover4j.samples.springboot;

import dev.failover4j.FailoverChatResponseMetadata;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code POST /chat} and {@code GET /chat/stream} (SSE): an AI Service on the auto-configured failover models. */
@RestController
public class ChatController {

    private final Assistant assistant;

    public ChatController(Assistant assistant) {
        this.assistant = assistant;
    }

    /** {@code {"message": "..."}} → {@code {"answer": "...", "servedBy": "secondary"}} */
    @PostMapping("/chat")
    public Map<String, String> chat(@RequestBody Map<String, String> body) {
        Result<String> result = assistant.chat(body.getOrDefault("message", ""));
        return Map.of("answer", result.content(), "servedBy", servedBy(result.finalResponse()));
    }

    /** Server-sent events: {@code token} per chunk, then {@code done} with the serving target, or {@code error}. */
    @GetMapping("/chat/stream")
    public SseEmitter stream(@RequestParam("message") String message) {
        SseEmitter emitter = new SseEmitter(Duration.ofSeconds(90).toMillis());
        assistant.stream(message)
                .onPartialResponse(token -> send(emitter, "token", token))
                .onCompleteResponse(response -> {
                    send(emitter, "done", servedBy(response));
                    emitter.complete();
                })
                .onError(error -> {
                    send(emitter, "error", error.getClass().getSimpleName());
                    emitter.complete();
                })
                .start();
        return emitter;
    }

    private static void send(SseEmitter emitter, String event, String data) {
        try {
            emitter.send(SseEmitter.event().name(event).data(data));
        } catch (IOException | IllegalStateException clientGone) {
            emitter.completeWithError(clientGone);
        }
    }

    private static String servedBy(ChatResponse response) {
        return response != null && response.metadata() instanceof FailoverChatResponseMetadata metadata
                ? metadata.targetName() : "unknown";
    }

    /** The AI Service, on whatever {@code ChatModel} and {@code StreamingChatModel} the context has: the starter's. */
    @Configuration(proxyBeanMethods = false)
    static class AssistantConfiguration {
        @Bean
        Assistant assistant(ChatModel chatModel, StreamingChatModel streamingChatModel) {
            return AiServices.builder(Assistant.class).chatModel(chatModel).streamingChatModel(streamingChatModel).build();
        }
    }
}
