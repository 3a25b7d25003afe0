package dev.failover4j.samples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover4j.FailoverGroup;
import dev.failover4j.testkit.Fault;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The sample as a user runs it, over HTTP on a random port: chat, stream, health, Prometheus, the operator endpoint. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBootSampleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    SampleEndpoints endpoints;

    @Autowired
    FailoverGroup group;

    @AfterEach
    void heal() {
        endpoints.chaos("primary").clearFaults();
        endpoints.chaos("secondary").clearFaults();
        group.targets().forEach(t -> group.resetHealth(t.name()));
    }

    @Test
    void should_answer_from_the_fallback_and_show_it_everywhere_when_the_primary_fails() throws Exception {
        // given
        double failedOverBefore = metric("failover_calls_total\\{outcome=\"failed_over\"}");
        double primaryFailuresBefore = metric("failover_attempts_total\\{kind=\"server_error\",outcome=\"failed\",target=\"primary\"}");
        endpoints.chaos("primary").inject(Fault.httpStatus(500));

        // when
        HttpResponse<String> chat = post("/chat", "{\"message\":\"Where is my order?\"}");

        // then: the user sees an answer
        assertThat(chat.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(chat.body());
        assertThat(answer.path("servedBy").asText()).isEqualTo("secondary");
        assertThat(answer.path("answer").asText()).isEqualTo("[secondary] You said: Where is my order?");

        // and the health contributor shows the primary open, the service degraded but up
        JsonNode health = JSON.readTree(get("/actuator/health").body());
        JsonNode failover = health.path("components").path("failover");
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(failover.path("status").asText()).isEqualTo("UP");
        assertThat(failover.path("details").path("degraded").asBoolean()).isTrue();
        assertThat(failover.path("details").path("targets").path("primary").path("state").asText()).isEqualTo("OPEN");
        assertThat(failover.path("details").path("targets").path("secondary").path("state").asText()).isEqualTo("CLOSED");

        // and Prometheus counts it: one call failed over, two failed attempts on the primary (max-retries 1), breaker open
        assertThat(metric("failover_calls_total\\{outcome=\"failed_over\"}") - failedOverBefore).isEqualTo(1.0);
        assertThat(metric("failover_attempts_total\\{kind=\"server_error\",outcome=\"failed\",target=\"primary\"}")
                - primaryFailuresBefore).isEqualTo(2.0);
        assertThat(metric("failover_circuit_state\\{target=\"primary\"}")).isEqualTo(2.0);
        assertThat(metric("failover_circuit_state\\{target=\"secondary\"}")).isEqualTo(0.0);
        assertThat(prometheus()).contains("gen_ai_client_operation_duration_seconds_count{error_type=\"none\","
                + "gen_ai_operation_name=\"chat\",gen_ai_request_model=\"gpt-4o-mini\",outcome=\"failed_over\",target=\"secondary\"}");

        // when the operator fixed it and resets the target
        endpoints.chaos("primary").clearFaults();
        HttpResponse<String> reset = post("/actuator/failover", "{\"action\":\"reset\",\"target\":\"primary\"}");

        // then
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(reset.body()).path("state").asText()).isEqualTo("CLOSED");
        JsonNode snapshot = JSON.readTree(get("/actuator/failover").body());
        assertThat(snapshot.path("status").asText()).isEqualTo("UP");
        assertThat(JSON.readTree(post("/chat", "{\"message\":\"again\"}").body()).path("servedBy").asText()).isEqualTo("primary");
        assertThat(metric("failover_circuit_state\\{target=\"primary\"}")).isEqualTo(0.0);
    }

    @Test
    void should_reject_an_unknown_target_when_an_operator_posts_to_the_endpoint() throws Exception {
        assertThat(post("/actuator/failover", "{\"action\":\"reset\",\"target\":\"nobody\"}").statusCode()).isEqualTo(400);
        assertThat(post("/actuator/failover", "{\"action\":\"explode\",\"target\":\"primary\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void should_stream_the_answer_as_server_sent_events_when_the_primary_fails() throws Exception {
        // given
        endpoints.chaos("primary").inject(Fault.httpStatus(500));

        // when
        HttpResponse<String> stream = http.send(HttpRequest.newBuilder(uri("/chat/stream?message=stream%20please"))
                .timeout(Duration.ofSeconds(30)).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        StringBuilder text = new StringBuilder();
        Matcher tokens = Pattern.compile("event:token\\ndata:(.*)\\n").matcher(stream.body());
        while (tokens.find()) {
            text.append(tokens.group(1));
        }
        assertThat(text.toString()).isEqualTo("[secondary] You said: stream please");
        assertThat(stream.body()).contains("event:done\ndata:secondary");
    }

    @Test
    void should_serve_the_status_page_when_the_root_is_opened() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"status.js\"></script>").contains("id=\"targets\"");
        assertThat(get("/status.js").body()).contains("actuator/failover");
    }

    private double metric(String seriesRegex) throws IOException, InterruptedException {
        Matcher matcher = Pattern.compile("(?m)^" + seriesRegex + " (\\S+)$").matcher(prometheus());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0.0;
    }

    private String prometheus() throws IOException, InterruptedException {
        HttpResponse<String> scrape = get("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        return scrape.body();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
