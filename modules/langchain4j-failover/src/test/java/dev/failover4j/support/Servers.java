package dev.failover4j.support;

import dev.failover4j.FailoverTarget;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** Helpers around MockWebServer-backed OpenAI-compatible targets. */
public final class Servers {

    private Servers() {}

    public static FailoverTarget target(String name, MockWebServer server) {
        return FailoverTarget.openAiCompatible(name)
                .baseUrl(server.url("/v1").toString())
                .apiKey("sk-test-" + name + "-0123456789")
                .modelName(name + "-model")
                .contextWindowTokens(8_000)
                .build();
    }

    /** @return the next request, failing the test after 5 s rather than blocking forever */
    public static RecordedRequest take(MockWebServer server) throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no request reached " + server);
        }
        return request;
    }
}
