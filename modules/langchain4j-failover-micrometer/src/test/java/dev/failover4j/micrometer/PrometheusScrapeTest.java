package dev.failover4j.micrometer;

import static dev.failover4j.micrometer.FailoverMetricsTest.BACKUP_KEY;
import static dev.failover4j.micrometer.FailoverMetricsTest.PRIMARY_KEY;
import static dev.failover4j.micrometer.FailoverMetricsTest.threeCallsServedByTheBackup;
import static dev.failover4j.micrometer.OpenAiResponses.serverError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover4j.FailoverException;
import dev.failover4j.FailoverGroup;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a Prometheus scrape shows after a failover: names, tags, no secrets, histograms only when asked for. */
class PrometheusScrapeTest {

    private final MockWebServer primary = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private FailoverGroup group;

    @BeforeEach
    void start() throws IOException {
        primary.start();
        backup.start();
        group = FailoverMetricsTest.group(primary, backup);
    }

    @AfterEach
    void stop() {
        group.close();
        primary.close();
        backup.close();
        registry.close();
    }

    /** Three calls served by the backup after the primary's 503s (and its open breaker), then one exhausted call. */
    private String scrapeAfterAFailoverAndAnExhaustedCall() {
        threeCallsServedByTheBackup(group.chatModel(), primary, backup);
        backup.enqueue(serverError());
        assertThatThrownBy(() -> group.chatModel().chat("nobody answers")).isInstanceOf(FailoverException.class);
        return registry.scrape();
    }

    @Test
    void should_expose_every_meter_with_its_tags_when_scraped_after_a_failover() {
        // given
        FailoverMetrics.bind(group, registry);

        // when
        String scrape = scrapeAfterAFailoverAndAnExhaustedCall();

        // then: the primary failed twice, was skipped by calls 3 and 4, and got call 4's last-resort trial (a third 503)
        assertThat(scrape)
                .contains("failover_calls_total{outcome=\"failed_over\"} 3.0")
                .contains("failover_calls_total{outcome=\"exhausted\"} 1.0")
                .contains("failover_attempts_total{kind=\"server_error\",outcome=\"failed\",target=\"primary\"} 3.0")
                .contains("failover_attempts_total{kind=\"none\",outcome=\"succeeded\",target=\"backup\"} 3.0")
                .contains("failover_skips_total{reason=\"circuit_open\",target=\"primary\"} 2.0")
                .contains("failover_circuit_transitions_total{target=\"primary\",to=\"open\"} 1.0")
                .contains("failover_circuit_state{target=\"primary\"} 2.0")
                .contains("failover_circuit_state{target=\"backup\"} 0.0")
                .contains("failover_cost_total{target=\"backup\"} 5.4E-5")
                .contains("gen_ai_client_operation_duration_seconds_count{error_type=\"none\",gen_ai_operation_name=\"chat\","
                        + "gen_ai_request_model=\"gpt-4o-mini\",outcome=\"failed_over\",target=\"backup\"} 3")
                .contains("gen_ai_client_operation_duration_seconds_count{error_type=\"exhausted\",gen_ai_operation_name=\"chat\","
                        + "gen_ai_request_model=\"none\",outcome=\"exhausted\",target=\"none\"} 1")
                .contains("gen_ai_client_token_usage_tokens_sum{gen_ai_operation_name=\"chat\",gen_ai_request_model=\"gpt-4o-mini\","
                        + "gen_ai_token_type=\"input\",target=\"backup\"} 36.0")
                .contains("gen_ai_client_token_usage_tokens_sum{gen_ai_operation_name=\"chat\",gen_ai_request_model=\"gpt-4o-mini\","
                        + "gen_ai_token_type=\"output\",target=\"backup\"} 9.0");
    }

    @Test
    void should_show_no_key_in_the_scrape_when_targets_fail() {
        // given
        FailoverMetrics.bind(group, registry);

        // when
        String scrape = scrapeAfterAFailoverAndAnExhaustedCall();

        // then
        assertThat(scrape).contains("failover_attempts_total")
                .doesNotContain(PRIMARY_KEY).doesNotContain(BACKUP_KEY).doesNotContain("SECRET").doesNotContain("sk-");
    }

    @Test
    void should_publish_no_histogram_buckets_when_no_meter_filter_asks_for_them() {
        // given
        FailoverMetrics.bind(group, registry);

        // when
        String scrape = scrapeAfterAFailoverAndAnExhaustedCall();

        // then
        assertThat(scrape).contains("gen_ai_client_operation_duration_seconds_count")
                .doesNotContain("gen_ai_client_operation_duration_seconds_bucket");
    }

    @Test
    void should_publish_histogram_buckets_when_a_meter_filter_asks_for_them() {
        // given: the filter the module's README shows, added before binding
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().equals(FailoverMetrics.OPERATION_DURATION)) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
                }
                return config;
            }
        });
        FailoverMetrics.bind(group, registry);

        // when
        String scrape = scrapeAfterAFailoverAndAnExhaustedCall();

        // then
        assertThat(scrape).contains("gen_ai_client_operation_duration_seconds_bucket{error_type=\"none\"")
                .contains("le=\"+Inf\"");
    }
}
