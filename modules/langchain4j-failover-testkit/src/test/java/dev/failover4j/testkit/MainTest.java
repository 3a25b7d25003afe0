package dev.failover4j.testkit;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MainTest {

    /** Runs {@code main} with {@code options} in its own JVM, gives its base URL to {@code use}, then kills it. */
    private static void runMain(List<String> options, BaseUrlUse use) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                ChaosOpenAiServer.class.getName()));
        command.addAll(options);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String baseUrl = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(20, TimeUnit.SECONDS);
            use.accept(baseUrl);
        } finally {
            process.destroy();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    interface BaseUrlUse {
        void accept(String baseUrl) throws Exception;
    }

    @Test
    void should_print_its_base_url_and_serve_until_killed_when_run_from_the_command_line() throws Exception {
        runMain(List.of("--name", "primary", "--port", "0", "--model", "deepseek-chat"), baseUrl -> {
            // when
            HttpResponse<String> models = Clients.get(baseUrl + "/models");
            HttpResponse<String> chat = Clients.post(baseUrl + "/chat/completions", Clients.chatJson("ping", false));

            // then
            assertThat(baseUrl).matches("http://127\\.0\\.0\\.1:\\d+/v1");
            assertThat(models.body()).contains("\"id\":\"deepseek-chat\"");
            assertThat(chat.body()).contains("[primary] answer to: ping");
        });
    }

    @Test
    void should_count_with_cl100k_when_run_with_token_counting_cl100k() throws Exception {
        // given: jtokkit's own cl100k count by OpenAI's chat rule
        Encoding cl100k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        String text = "Xin chào, hôm nay trời Hà Nội đẹp quá.";
        int expected = 3 + 3 + cl100k.countTokensOrdinary("user") + cl100k.countTokensOrdinary(text);

        runMain(List.of("--token-counting", "cl100k", "--context-window", "4096"), baseUrl -> {
            // when
            HttpResponse<String> chat = Clients.post(baseUrl + "/chat/completions", Clients.chatJson(text, false));

            // then
            assertThat(chat.body()).contains("\"prompt_tokens\":" + expected + ",");
        });
    }

    @Test
    void should_name_the_known_countings_when_token_counting_is_unknown() {
        assertThatThrownBy(() -> ChaosOpenAiServer.main(new String[] {"--token-counting", "llama3"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--token-counting must be cl100k or o200k but was llama3");
    }
}
