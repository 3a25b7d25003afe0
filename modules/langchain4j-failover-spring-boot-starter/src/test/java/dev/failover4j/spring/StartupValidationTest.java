package dev.failover4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A property that cannot work stops the start, naming the property and never the value. */
class StartupValidationTest {

    private static final ChaosTargets servers = new ChaosTargets();
    private static final String KEY_1 = "langchain4j.failover.targets[1].api-key";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FailoverAutoConfiguration.class));

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"YOUR_API_KEY", "sk-xxx", "sk-xxxxxxxxxxxxxxxx", "<your-deepseek-key>", "changeme", "CHANGE_ME",
            "sk-...", "xxxxxxxx", "your-openai-key-here", "$DEEPSEEK_API_KEY", "{{ api_key }}", "TODO"})
    void should_fail_startup_naming_the_property_when_the_key_is_a_placeholder(String placeholder) {
        assertStartupFails(KEY_1, placeholder, "placeholder");
    }

    @Test
    void should_fail_startup_naming_the_property_when_the_key_is_an_unresolved_placeholder() {
        // given: ${...} that no property source resolves stays in the bound value
        assertStartupFails(KEY_1, "${DEEPSEEK_API_KEY_NOT_SET_ANYWHERE}", "unresolved");
    }

    @Test
    void should_fail_startup_naming_the_property_when_the_key_is_blank() {
        assertStartupFails(KEY_1, "   ", "blank");
    }

    @Test
    void should_fail_startup_naming_the_property_when_a_key_has_white_space_inside() {
        // the library's own check: the starter reports it under the target's path, the key masked
        String key = "sk-live abc123def456";
        assertStartupFails("langchain4j.failover.targets[1]", key, "white space");
    }

    @Test
    void should_fail_startup_naming_the_property_when_the_key_is_missing() {
        runner.withPropertyValues(servers.properties()).withPropertyValues(KEY_1 + "=").run(context -> {
            // an empty value binds as empty: blank
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(KEY_1);
        });
        runner.withPropertyValues("langchain4j.failover.targets[0].name=solo", "langchain4j.failover.targets[0].model=m",
                "langchain4j.failover.targets[0].context-window=1000").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(FailoverPropertyException.class)
                    .hasMessageContaining("langchain4j.failover.targets[0].api-key").hasMessageContaining("not set")
                    .hasMessageContaining("no-api-key");
        });
    }

    @Test
    void should_fail_startup_when_both_a_key_and_no_api_key_are_set() {
        assertStartupFails(KEY_1, ChaosTargets.SECONDARY_KEY, "no-api-key",
                "langchain4j.failover.targets[1].no-api-key=true");
    }

    /** property (under langchain4j.failover.), value, the path reported, what the message says */
    @ParameterizedTest
    @CsvSource({
            "targets[1].context-window, '', targets[1].context-window, is required",
            "targets[1].model, '', targets[1].model, is required",
            "targets[1].name, '', targets[1].name, is required",
            "targets[1].name, primary, targets[1].name, duplicates langchain4j.failover.targets[0].name",
            "targets[1].price.input, 1, targets[1].price, input and output",
            "targets[0].custom-headers.api-key, '', targets[0].custom-headers.api-key, blank",
            "targets[1].weight, -1, targets[1], weight",
            "targets[1].token-ratio, 9, targets[1], tokenRatio",
            "targets[1].base-url, not a url, targets[1], baseUrl",
            "deadline, 0s, deadline, deadline",
            "attempt-timeout, -1s, attempt-timeout, attemptTimeout",
            "max-retries, -1, max-retries, maxRetries",
            "breaker.consecutive-failures, 0, breaker.consecutive-failures, consecutiveFailureThreshold",
            "backoff.jitter, 2, backoff.jitter, jitter",
            "streaming.idle-timeout, 0s, streaming.idle-timeout, idleTimeout",
            "fitting.default-reserved-output-tokens, -5, fitting.default-reserved-output-tokens, defaultReservedOutputTokens",
            "least-latency-exploration, 3, least-latency-exploration, must be in [0, 1]",
            "probes.interval, 0s, probes.interval, interval",
            "probes.failures-before-alert, 2, probes.failures-before-alert, probes.interval",
            "alerts.webhook-url, ftp://host/hook, alerts.webhook-url, http(s)",
            "canaries[0].target, '', canaries[0].target, is required",
            "probes.include-healthy, true, probes.include-healthy, probes.interval",
            "hedging.delay, 0s, hedging.delay, positive duration",
            "hedging.delay, -1s, hedging.delay, positive duration",
            "hedging.percentile, 0, hedging.percentile, 'must be in (0, 1)'",
            "hedging.percentile, 1, hedging.percentile, 'must be in (0, 1)'",
            "hedging.percentile, 1.5, hedging.percentile, 'must be in (0, 1)'",
            "hedging.percentile, -0.1, hedging.percentile, 'must be in (0, 1)'",
            "hedging.floor, 100ms, hedging.floor, 'has no effect without langchain4j.failover.hedging.delay or langchain4j.failover.hedging.percentile'",
            "hedging.ceiling, 1s, hedging.ceiling, 'has no effect without langchain4j.failover.hedging.delay or langchain4j.failover.hedging.percentile'",
            "hedging.max-extra-load, 0.5, hedging.max-extra-load, 'has no effect without langchain4j.failover.hedging.delay'",
            "targets[1].budget-interval, 0s, targets[1].budget-interval, budgetInterval",
            "targets[1].budget-interval, -1s, targets[1].budget-interval, budgetInterval",
            "targets[1].budget-interval, 2m, targets[1].budget-interval, '(0, 1 minute]'"
    })
    void should_fail_startup_naming_the_property_when_a_value_cannot_work(String property, String value, String reported,
            String problem) {
        runner.withPropertyValues(servers.properties("langchain4j.failover." + property + "=" + value)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(FailoverPropertyException.class)
                    .hasMessageStartingWith("langchain4j.failover." + reported + ": ").hasMessageContaining(problem);
        });
    }

    /** settings (under langchain4j.failover., separated by ;), the path reported, what the message says */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "hedging.delay=1s; hedging.percentile=0.9 | hedging | both delay and percentile",
            "hedging.delay=1s; hedging.max-extra-load=0 | hedging.max-extra-load | (0, 1]",
            "hedging.delay=1s; hedging.max-extra-load=-0.5 | hedging.max-extra-load | (0, 1]",
            "hedging.delay=1s; hedging.max-extra-load=1.5 | hedging.max-extra-load | (0, 1]",
            "hedging.percentile=0.9; hedging.max-extra-load=2 | hedging.max-extra-load | (0, 1]",
            "hedging.delay=1s; hedging.floor=100ms | hedging.floor | not to a fixed langchain4j.failover.hedging.delay",
            "hedging.delay=1s; hedging.ceiling=2s | hedging.ceiling | not to a fixed langchain4j.failover.hedging.delay",
            "hedging.percentile=0.9; hedging.floor=0s | hedging.floor | positive duration",
            "hedging.percentile=0.9; hedging.ceiling=-1s | hedging.ceiling | positive duration",
            "hedging.percentile=0.9; hedging.floor=6s | hedging.floor | must not exceed its ceiling",
            "hedging.percentile=0.9; hedging.ceiling=20ms | hedging.ceiling | must not exceed its ceiling",
            "hedging.percentile=0.9; hedging.floor=2s; hedging.ceiling=1s | hedging.ceiling | must not exceed its ceiling",
            "hedging.percentile=0.9; hedging.floor=20s; hedging.ceiling=10s | hedging.floor | must not exceed its ceiling",
            "targets[1].requests-per-minute=30; targets[1].budget-interval=1s | targets[1].budget-interval | less than one permit"
    })
    void should_fail_startup_naming_the_property_when_settings_cannot_work_together(String settings, String reported,
            String problem) {
        String[] properties = Arrays.stream(settings.split(";")).map(s -> "langchain4j.failover." + s.trim()).toArray(String[]::new);
        runner.withPropertyValues(servers.properties(properties)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(FailoverPropertyException.class)
                    .hasMessageStartingWith("langchain4j.failover." + reported + ": ").hasMessageContaining(problem);
        });
    }

    @Test
    void should_start_when_the_hedging_floor_is_above_the_default_ceiling_and_the_ceiling_above_it() {
        runner.withPropertyValues(servers.properties("langchain4j.failover.hedging.percentile=0.9",
                "langchain4j.failover.hedging.floor=6s", "langchain4j.failover.hedging.ceiling=10s"))
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void should_fail_startup_naming_the_property_when_no_target_is_configured() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(FailoverPropertyException.class)
                    .hasMessageContaining("langchain4j.failover.targets").hasMessageContaining("enabled=false");
        });
    }

    @Test
    void should_report_the_property_and_the_fix_when_spring_boot_analyses_the_failure() {
        runner.withPropertyValues(servers.properties(KEY_1 + "=YOUR_API_KEY")).run(context -> {
            // when
            FailureAnalysis analysis = new FailoverPropertyFailureAnalyzer().analyze(context.getStartupFailure());

            // then
            assertThat(analysis.getDescription()).contains(KEY_1).doesNotContain("YOUR_API_KEY");
            assertThat(analysis.getAction()).contains("Fix " + KEY_1);
        });
    }

    private void assertStartupFails(String property, String key, String problem, String... more) {
        runner.withPropertyValues(servers.properties(more)).withPropertyValues(KEY_1 + "=" + key).run(context -> {
            // then
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            assertThat(failure).rootCause().isInstanceOf(FailoverPropertyException.class)
                    .hasMessageContaining(property).hasMessageContaining(problem);
            String printed = everythingPrinted(failure);
            assertThat(printed).as("the whole exception chain, stack traces included").contains(property);
            if (!key.isBlank()) {
                assertThat(printed).as("the whole exception chain, stack traces included").doesNotContain(key.trim());
            }
        });
    }

    /** Every message, toString and stack trace of the failure, its causes and suppressed exceptions. */
    static String everythingPrinted(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> queue = new ArrayList<>(List.of(failure));
        while (!queue.isEmpty() && seen.size() < 100) {
            Throwable t = queue.remove(0);
            if (t != null && seen.add(t)) {
                out.append('\n').append(String.valueOf(t.getMessage())).append('\n').append(t.toString());
                queue.add(t.getCause());
                queue.addAll(List.of(t.getSuppressed()));
            }
        }
        return out.toString();
    }
}
