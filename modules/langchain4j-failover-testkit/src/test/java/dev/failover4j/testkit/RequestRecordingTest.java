package dev.failover4j.testkit;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestRecordingTest {

    private ChaosOpenAiServer server;

    @BeforeEach
    void startServer() {
        server = ChaosOpenAiServer.builder().name("primary").build().start();
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void should_record_the_parsed_request_with_the_api_key_masked_when_a_client_calls() {
        // given
        var model = Clients.chatModel(server.baseUrl());

        // when
        model.chat(ChatRequest.builder().maxOutputTokens(77)
                .messages(SystemMessage.from("Be brief."), UserMessage.from("Capital of France?")).build());

        // then
        RecordedChatRequest r = server.takeRequest(Clients.TIMEOUT);
        assertThat(r.sequence()).isEqualTo(1);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1/chat/completions");
        assertThat(r.isChatCompletion()).isTrue();
        assertThat(r.model()).isEqualTo("gpt-4o-mini");
        assertThat(r.messageCount()).isEqualTo(2);
        assertThat(r.stream()).isFalse();
        assertThat(r.maxTokens()).hasValue(77);
        assertThat(r.lastUserText()).isEqualTo("Capital of France?");
        assertThat(r.bodyJson().path("messages").get(1).path("content").asText()).isEqualTo("Capital of France?");
        assertThat(r.body()).contains("\"Be brief.\"");
        assertThat(r.header("Authorization")).hasValue("Bearer ****cdef");
        assertThat(r.toString() + r.headers() + r.body()).doesNotContain(Clients.API_KEY);
    }

    @Test
    void should_hide_a_short_key_entirely_when_masking() {
        // given
        var model = dev.langchain4j.model.openai.OpenAiChatModel.builder().httpClientBuilder(Clients.http11())
                .baseUrl(server.baseUrl()).apiKey("short-key").modelName("m").maxRetries(0).build();

        // when
        model.chat(ChatRequest.builder().messages(UserMessage.from("hi")).build());

        // then
        assertThat(server.takeRequest(Clients.TIMEOUT).header("authorization")).hasValue("Bearer ****");
    }

    @Test
    void should_give_an_independent_copy_of_the_json_tree_when_it_is_read() {
        // given
        Clients.chatModel(server.baseUrl()).chat(ChatRequest.builder().messages(UserMessage.from("hi")).build());
        RecordedChatRequest r = server.requests().get(0);

        // when
        ((com.fasterxml.jackson.databind.node.ObjectNode) r.bodyJson()).put("model", "changed");

        // then
        assertThat(r.bodyJson().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThatThrownBy(() -> server.requests().add(r)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void should_return_null_when_no_request_arrives_in_time() {
        // when
        RecordedChatRequest r = server.takeRequest(Duration.ofMillis(50));

        // then
        assertThat(r).isNull();
    }

    @Test
    void should_clear_records_counters_faults_and_script_when_reset() throws Exception {
        // given
        server.inject(Fault.httpStatus(500));
        Clients.post(server.baseUrl() + "/chat/completions", Clients.chatJson("hi", false));
        server.replyWithToolCall("x", "{}");

        // when
        server.reset();

        // then
        assertThat(server.requests()).isEmpty();
        assertThat(server.requestCount()).isZero();
        assertThat(server.takeRequest(Duration.ofMillis(10))).isNull();
        assertThat(server.stats()).isEqualTo(new ChaosStats(0, 0, java.util.Map.of()));
        assertThat(Clients.post(server.baseUrl() + "/chat/completions", Clients.chatJson("hi", false)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void should_count_requests_served_and_faults_by_kind_when_traffic_flows() throws Exception {
        // given
        server.injectNext(1, Fault.httpStatus(503));
        server.injectNext(1, Fault.rateLimited());

        // when
        for (int i = 0; i < 4; i++) {
            Clients.post(server.baseUrl() + "/chat/completions", Clients.chatJson("hi", false));
        }

        // then
        ChaosStats stats = server.stats();
        assertThat(stats.requests()).isEqualTo(4);
        assertThat(stats.served()).isEqualTo(2);
        assertThat(stats.faultCount(FaultKind.HTTP_STATUS)).isEqualTo(1);
        assertThat(stats.faultCount(FaultKind.RATE_LIMITED)).isEqualTo(1);
        assertThat(stats.totalFaults()).isEqualTo(2);
        assertThat(server.requestCount()).isEqualTo(4);
        assertThat(server.requests()).extracting(RecordedChatRequest::sequence).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void should_count_prompt_tokens_like_the_openai_cookbook_when_names_are_present() throws Exception {
        // given: the OpenAI cookbook example, 124 tokens for gpt-4o (o200k)
        String body = """
                {"model":"gpt-4o","messages":[
                 {"role":"system","content":"You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
                 {"role":"system","name":"example_user","content":"New synergies will help drive top-line growth."},
                 {"role":"system","name":"example_assistant","content":"Things working well together will increase revenue."},
                 {"role":"system","name":"example_user","content":"Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
                 {"role":"system","name":"example_assistant","content":"Let's talk later when we're less busy about how to do better."},
                 {"role":"user","content":"This late pivot means we don't have time to boil the ocean for the client deliverable."}
                ]}""";

        // when
        var response = Clients.post(server.baseUrl() + "/chat/completions", body);

        // then
        assertThat(server.requests().get(0).promptTokens()).isEqualTo(124);
        assertThat(response.body()).contains("\"prompt_tokens\":124");
    }

    @Test
    void should_record_hanging_requests_before_the_fault_applies_when_the_server_hangs() {
        // given
        server.inject(Fault.hang());

        // when
        Clients.raw().sendAsync(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.baseUrl() + "/chat/completions"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Clients.chatJson("hang", false))).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());

        // then
        RecordedChatRequest r = server.takeRequest(Clients.TIMEOUT);
        assertThat(r).isNotNull();
        assertThat(r.lastUserText()).isEqualTo("hang");
        assertThat(List.of(r)).hasSize(1);
    }

    @Test
    void should_forget_every_request_including_mockwebservers_own_queue_when_reset() {
        // given three calls, recorded by us and queued by MockWebServer for its takeRequest
        var model = Clients.chatModel(server.baseUrl());
        for (int i = 0; i < 3; i++) {
            model.chat(ChatRequest.builder().messages(UserMessage.from("q" + i)).build());
        }
        assertThat(server.requestCount()).isEqualTo(3);

        // when
        server.reset();

        // then nothing per request is kept: a soak that resets now and then stays bounded
        assertThat(server.requestCount()).isZero();
        assertThat(server.takeRequest(Duration.ZERO)).isNull();
        assertThat(server.engine.drainServerQueue()).isZero();
        model.chat(ChatRequest.builder().messages(UserMessage.from("after reset")).build());
        model.chat(ChatRequest.builder().messages(UserMessage.from("after reset")).build());
        assertThat(server.engine.drainServerQueue()).isEqualTo(2);
    }
}
