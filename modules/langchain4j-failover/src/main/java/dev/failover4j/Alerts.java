package dev.failover4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ready-made listeners for {@link FailoverEvent.TargetDown} and {@link FailoverEvent.TargetRecovered} (raised
 * when {@link Probes} are on): the hook for Slack, PagerDuty or Opsgenie. Add one with
 * {@code FailoverGroup.builder().listener(Alerts.logging())} or {@code group.addListener(...)}.
 */
public final class Alerts {

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Alerts() {}

    /** @return a listener that logs a target going down at ERROR and its recovery at WARN */
    public static FailoverListener logging() {
        return event -> {
            if (event instanceof FailoverEvent.TargetDown down) {
                log.error("target '{}' is down since {}: {}", down.target(), down.since(), down.lastError());
            } else if (event instanceof FailoverEvent.TargetRecovered recovered) {
                log.warn("target '{}' recovered after {} s", recovered.target(), recovered.downtime().toSeconds());
            }
        };
    }

    /**
     * @param url a webhook (e.g. a Slack incoming webhook or an alerting gateway) that takes a JSON POST
     * @return a listener that POSTs {@code {"event":"target_down","target":...,"since":...,"detail":...}} or
     *         {@code {"event":"target_recovered","target":...,"downtimeSeconds":...}}, asynchronously (a slow or
     *         failing webhook never holds a call; a failure is logged at WARN). The detail is already redacted.
     */
    public static FailoverListener webhook(URI url) {
        Objects.requireNonNull(url, "url");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        return event -> {
            ObjectNode body = JSON.createObjectNode();
            if (event instanceof FailoverEvent.TargetDown down) {
                body.put("event", "target_down").put("target", down.target()).put("since", down.since().toString())
                        .put("detail", down.lastError());
            } else if (event instanceof FailoverEvent.TargetRecovered recovered) {
                body.put("event", "target_recovered").put("target", recovered.target())
                        .put("downtimeSeconds", recovered.downtime().toSeconds());
            } else {
                return;
            }
            String json = body.toString();
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error != null || response.statusCode() >= 300) {
                    log.warn("alert webhook {} failed: {}", url.getHost(), error != null ? error.toString() : "HTTP " + response.statusCode());
                }
            });
        };
    }
}
