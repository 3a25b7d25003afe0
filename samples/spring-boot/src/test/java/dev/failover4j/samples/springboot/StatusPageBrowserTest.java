package dev.failover4j.samples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.FailoverGroup;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The status page in a real headless browser (Debian's {@code chromium}), during an outage of the primary: the page
 * must show the primary's breaker open, the secondary closed and the service degraded. Without chromium the test is
 * skipped with a banner on stderr, except under {@code CI=true}, where it fails ({@code .ci/run} installs chromium).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StatusPageBrowserTest {

    private static final long BROWSER_TIMEOUT_SECONDS = 90;

    @LocalServerPort
    int port;

    @Autowired
    SampleEndpoints endpoints;

    @Autowired
    FailoverGroup group;

    @Autowired
    ChatModel chatModel;

    @AfterEach
    void heal() {
        endpoints.chaos("primary").clearFaults();
        group.targets().forEach(t -> group.resetHealth(t.name()));
    }

    @Test
    void should_show_the_primary_open_when_the_page_is_loaded_during_an_outage() throws Exception {
        // given: a chromium, or a loud skip (a failure on CI)
        Path chromium = chromium();
        // and an outage: a few calls served by the secondary while the primary's breaker opens
        chatModel.chat(UserMessage.from("before the outage"));
        endpoints.chaos("primary").inject(Fault.httpStatus(500));
        for (int i = 0; i < 3; i++) {
            chatModel.chat(UserMessage.from("during the outage " + i));
        }
        String url = "http://127.0.0.1:" + port + "/";

        // when
        String dom = run(chromium, "--dump-dom", url);

        // then
        assertThat(dom).contains("<tr data-target=\"primary\" data-state=\"OPEN\">")
                .contains("<tr data-target=\"secondary\" data-state=\"CLOSED\">")
                .contains("data-status=\"DEGRADED\"");

        // and a picture of it for the README (docs/status-page.png is a copy of one)
        Path screenshot = Path.of(System.getProperty("sample.screenshot", "target/status-page.png")).toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);
        run(chromium, "--screenshot=" + screenshot, "--window-size=1200,420", "--hide-scrollbars", url);
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).isGreaterThan(5_000);
    }

    /** @return chromium's path; skips loudly when it is absent, unless CI=true (then it fails) */
    private static Path chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        String message = "chromium is not installed: the status page was NOT checked in a browser "
                + "(apt-get install -y chromium, or run bash .ci/run, which installs it)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + "; on CI this is a failure");
        }
        System.err.println("\n" + "!".repeat(100) + "\n!!! SKIPPED StatusPageBrowserTest: " + message + "\n"
                + "!".repeat(100) + "\n");
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** Runs headless chromium on the page with a virtual-time budget (the page polls every second), bounded in time. */
    private static String run(Path chromium, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--virtual-time-budget=4000"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(BROWSER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("chromium did not finish in " + BROWSER_TIMEOUT_SECONDS + " s: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            assertThat(process.exitValue()).as("chromium's exit code; stderr: %s", Files.readString(err, StandardCharsets.UTF_8))
                    .isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
