package dev.failover4j.samples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot chat service on the failover starter: {@code POST /chat} (an AI Service on the auto-configured
 * failover {@code ChatModel}), {@code GET /chat/stream} (SSE on the failover {@code StreamingChatModel}),
 * {@code /actuator/health}, {@code /actuator/prometheus}, {@code /actuator/failover} and a live status page at
 * {@code /}.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl samples/spring-boot spring-boot:run}, then open
 * http://localhost:8080/. Without environment variables both targets are in-process chaos servers
 * ({@link SampleEndpoints}); {@code FAILOVER_PRIMARY_BASE_URL/_API_KEY/_MODEL/_WINDOW} (and {@code SECONDARY}) make
 * them real OpenAI-compatible endpoints behind a chaos proxy. {@code POST /sample/faults/primary} with
 * {@code outage} or {@code clear} stages an outage.
 */
@SpringBootApplication
public class SpringBootSample {

    public static void main(String[] args) {
        SpringApplication.run(SpringBootSample.class, args);
    }
}
