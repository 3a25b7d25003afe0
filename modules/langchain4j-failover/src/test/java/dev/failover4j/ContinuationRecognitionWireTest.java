package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.support.RecordingHandler;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.RecordedChatRequest;
import dev.failover4j.testkit.Reply;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The testkit recognises the continuation requests this module sends: its copy of the instruction stays
 * equal to ours, and a backup stubbed with {@link RecordedChatRequest#isContinuation()} and
 * {@link RecordedChatRequest#partialAnswer()} completes a cut stream.
 */
class ContinuationRecognitionWireTest {

    private static final String SENTENCE = "The quick brown fox jumps over the lazy dog.";

    private ChaosOpenAiServer primary;
    private ChaosOpenAiServer backup;

    @AfterEach
    void stop() {
        Stream.of(primary, backup).filter(Objects::nonNull).forEach(ChaosOpenAiServer::close);
    }

    @Test
    void should_keep_the_testkit_continue_instruction_equal_to_the_one_the_streaming_model_sends() {
        assertThat(RecordedChatRequest.CONTINUE_INSTRUCTION).isEqualTo(FailoverStreamingChatLanguageModel.CONTINUE_INSTRUCTION);
    }

    @Test
    void should_deliver_the_whole_answer_when_the_backup_continues_from_the_partial_answer_of_a_cut_stream() throws Exception {
        // given: the primary's stream is cut after role chunk + "The" + " quick" + " brown"; the backup
        // answers a continuation with the rest of the sentence, anything else with a text the user must not see
        primary = server("primary", request -> Reply.text(SENTENCE));
        primary.inject(Fault.streamCutAfter(4));
        backup = server("backup", request -> request.isContinuation()
                ? Reply.text(SENTENCE.substring(request.partialAnswer().orElseThrow().length()))
                : Reply.text("(not recognised as a continuation)"));
        FailoverStreamingChatLanguageModel model = FailoverStreamingChatLanguageModel.builder()
                .targets(target(primary), target(backup))
                .config(FailoverConfig.builder().backoff(Duration.ofMillis(5), Duration.ofMillis(20)).jitter(0).build())
                .build();

        // when
        RecordingHandler handler = new RecordingHandler();
        model.chat(ChatRequest.builder().messages(UserMessage.from("Tell me about foxes")).build(), handler);
        handler.await(Duration.ofSeconds(15));

        // then
        assertThat(handler.error()).isNull();
        assertThat(handler.text()).isEqualTo(SENTENCE);
        assertThat(handler.response().aiMessage().text()).isEqualTo(SENTENCE);
        assertThat(((FailoverChatResponseMetadata) handler.response().metadata()).servedBy()).containsExactly("primary", "backup");
        RecordedChatRequest continuation = backup.takeRequest(Duration.ofSeconds(1));
        assertThat(continuation.isContinuation()).isTrue();
        assertThat(continuation.partialAnswer()).hasValue("The quick brown");
    }

    private static ChaosOpenAiServer server(String name, Function<RecordedChatRequest, Reply> reply) {
        return ChaosOpenAiServer.builder().name(name).modelName("gpt-4o-mini").reply(reply).build().start();
    }

    private static FailoverTarget target(ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(server.name()).baseUrl(server.baseUrl()).apiKey("sk-test-" + server.name() + "-00000")
                .modelName("gpt-4o-mini").contextWindowTokens(16_000).build();
    }
}
