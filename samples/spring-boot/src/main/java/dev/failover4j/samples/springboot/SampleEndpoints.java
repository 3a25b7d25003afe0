package dev.failover4j.samples.springboot;

import dev.failover4j.samples.support.SampleEndpoint;
import dev.failover4j.testkit.ChaosEndpoint;
import dev.failover4j.testkit.Reply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the sample's two endpoints before the context is built (their ports are only known then) and hands
 * {@code application.yaml} their settings as {@code sample.<name>.*} properties: base URL, key (empty with
 * {@code no-api-key} for a real endpoint given none), model and window. The endpoints are a bean
 * ({@code sampleEndpoints}) for the fault controller and the tests, and are closed with the context. Registered in
 * {@code META-INF/spring.factories}.
 */
public final class SampleEndpoints implements EnvironmentPostProcessor, AutoCloseable {

    static final int DEFAULT_WINDOW = 16_000;

    private final Map<String, SampleEndpoint> endpoints = new LinkedHashMap<>();

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("sample.endpoints.enabled", Boolean.class, true)) {
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String name : List.of("primary", "secondary")) {
            SampleEndpoint endpoint = SampleEndpoint.start(name, DEFAULT_WINDOW,
                    request -> Reply.text("[" + name + "] You said: " + request.lastUserText()), System.getenv());
            endpoints.put(name, endpoint);
            String prefix = "sample." + name + ".";
            properties.put(prefix + "base-url", endpoint.chaos().baseUrl());
            properties.put(prefix + "api-key", endpoint.apiKey() == null ? "" : endpoint.apiKey());
            properties.put(prefix + "no-api-key", endpoint.apiKey() == null);
            properties.put(prefix + "model", endpoint.modelName());
            properties.put(prefix + "context-window", endpoint.contextWindowTokens());
            System.out.println(name + ": " + endpoint);
        }
        environment.getPropertySources().addLast(new MapPropertySource("sampleEndpoints", properties));
        application.addInitializers(context -> {
            context.getBeanFactory().registerSingleton("sampleEndpoints", this);
            context.addApplicationListener(event -> {
                if (event instanceof ContextClosedEvent) {
                    close();
                }
            });
        });
    }

    /**
     * @return where to inject faults for the target named {@code name}
     * @throws IllegalArgumentException for an unknown name
     */
    public ChaosEndpoint chaos(String name) {
        SampleEndpoint endpoint = endpoints.get(name);
        if (endpoint == null) {
            throw new IllegalArgumentException("no sample endpoint named '" + name + "'; there are " + endpoints.keySet());
        }
        return endpoint.chaos();
    }

    @Override
    public void close() {
        endpoints.values().forEach(SampleEndpoint::close);
    }

    @Override
    public String toString() {
        return "SampleEndpoints" + endpoints.values();
    }
}
