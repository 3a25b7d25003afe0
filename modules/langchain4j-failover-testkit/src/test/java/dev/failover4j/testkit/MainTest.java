package dev.failover4j.testkit;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @Test
    void should_print_its_base_url_and_serve_until_killed_when_run_from_the_command_line() throws Exception {
        // given
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ChaosOpenAiServer.class.getName(), "--name", "primary", "--port", "0", "--model", "deepseek-chat")
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));

            // when
            String baseUrl = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(20, TimeUnit.SECONDS);
            HttpResponse<String> models = Clients.get(baseUrl + "/models");
            HttpResponse<String> chat = Clients.post(baseUrl + "/chat/completions", Clients.chatJson("ping", false));

            // then
            assertThat(baseUrl).matches("http://127\\.0\\.0\\.1:\\d+/v1");
            assertThat(models.body()).contains("\"id\":\"deepseek-chat\"");
            assertThat(chat.body()).contains("[primary] answer to: ping");
        } finally {
            process.destroy();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
