package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.failover4j.support.LogCapture;
import dev.langchain4j.data.message.UserMessage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** A provider that echoes the API key cannot leak it into our logs, exceptions, events or toString(). */
class SecretRedactionWireTest {

    private static final String PRIMARY_KEY = "sk-live-PRIMARY-4f9a8b7c6d5e";
    private static final String BACKUP_KEY = "sk-live-BACKUP-1a2b3c4d5e6f";
    private static final String AZURE_HEADER_KEY = "azure-secret-77aa88bb99cc";

    private static MockResponse echoing(int status, String key) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Incorrect API key provided: " + key + "\",\"code\":\"invalid_api_key\"}}")
                .build();
    }

    @Test
    void should_keep_api_keys_out_of_logs_exceptions_events_and_to_string_when_providers_echo_them() throws IOException {
        try (MockWebServer primary = new MockWebServer(); MockWebServer backup = new MockWebServer(); LogCapture logs = new LogCapture()) {
            // given
            primary.start();
            backup.start();
            for (int i = 0; i < 3; i++) {
                primary.enqueue(echoing(500, PRIMARY_KEY));
            }
            backup.enqueue(echoing(401, BACKUP_KEY + " and " + AZURE_HEADER_KEY));
            FailoverTarget first = FailoverTarget.openAiCompatible("primary").baseUrl(primary.url("/v1").toString())
                    .apiKey(PRIMARY_KEY).modelName("m").contextWindowTokens(8_000).build();
            FailoverTarget second = FailoverTarget.openAiCompatible("backup").baseUrl(backup.url("/v1").toString() + "?key=" + BACKUP_KEY)
                    .apiKey(BACKUP_KEY).customHeader("api-key", AZURE_HEADER_KEY).modelName("m").contextWindowTokens(8_000).build();
            List<FailoverEvent> events = new CopyOnWriteArrayList<>();
            FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(first, second).listener(events::add).build();

            // when
            FailoverException error = catchThrowableOfType(FailoverException.class, () -> model.chat(UserMessage.from("hi")));

            // then
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            String everything = String.join("\n", trace.toString(), error.toString(), error.attempts().toString(),
                    events.toString(), logs.text(), model.toString(), first.toString(), second.toString(),
                    model.health().toString(), FailoverTarget.openAiCompatible("x").apiKey(PRIMARY_KEY).toString());
            assertThat(everything)
                    .contains("Incorrect API key provided: ****") // the provider's text is kept, the key is masked
                    .doesNotContain(PRIMARY_KEY)
                    .doesNotContain(BACKUP_KEY)
                    .doesNotContain(AZURE_HEADER_KEY);
            assertThat(logs.text()).contains("FAILED SERVER_ERROR"); // the logs were captured, at every level
        }
    }
}
