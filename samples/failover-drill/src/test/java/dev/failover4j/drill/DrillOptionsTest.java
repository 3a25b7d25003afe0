package dev.failover4j.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrillOptionsTest {

    @Test
    void should_use_60_seconds_and_8_users_when_no_argument_is_given() {
        // given
        String[] args = {};

        // when
        DrillOptions options = DrillOptions.parse(args);

        // then
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.users()).isEqualTo(8);
        assertThat(options.help()).isFalse();
        assertThat(options.scale()).isEqualTo(1.0);
    }

    @Test
    void should_parse_seconds_milliseconds_minutes_and_bare_numbers_when_duration_is_given() {
        // given / when / then
        assertThat(DrillOptions.parse("--duration", "15s").duration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(DrillOptions.parse("--duration", "7500ms").duration()).isEqualTo(Duration.ofMillis(7_500));
        assertThat(DrillOptions.parse("--duration", "2m").duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(DrillOptions.parse("--duration", "30").duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(DrillOptions.parse("--duration", "1.5m").duration()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void should_shorten_to_15_seconds_and_scale_by_a_quarter_when_quick() {
        // given
        String arg = "--quick";

        // when
        DrillOptions options = DrillOptions.parse(arg);

        // then
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.scale()).isEqualTo(0.25);
    }

    @Test
    void should_take_users_and_report_directory_when_given() {
        // given / when
        DrillOptions options = DrillOptions.parse("--users", "3", "--report", "out/drill");

        // then
        assertThat(options.users()).isEqualTo(3);
        assertThat(options.reportDir()).isEqualTo(Path.of("out/drill"));
    }

    @Test
    void should_name_the_bad_value_when_duration_is_too_short() {
        assertThatThrownBy(() -> DrillOptions.parse("--duration", "2s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--duration must be between 5s and 1800s but was 2s");
    }

    @Test
    void should_explain_the_format_when_duration_is_not_a_duration() {
        assertThatThrownBy(() -> DrillOptions.parse("--duration", "soon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--duration must look like 60s, 1500ms or 2m but was 'soon'");
    }

    @Test
    void should_reject_users_when_zero_or_not_a_number() {
        assertThatThrownBy(() -> DrillOptions.parse("--users", "0"))
                .hasMessage("--users must be between 1 and 64 but was 0");
        assertThatThrownBy(() -> DrillOptions.parse("--users", "many"))
                .hasMessage("--users must be a whole number but was 'many'");
    }

    @Test
    void should_reject_an_option_when_its_value_is_missing() {
        assertThatThrownBy(() -> DrillOptions.parse("--duration"))
                .hasMessage("--duration needs a value");
        assertThatThrownBy(() -> DrillOptions.parse("--users", "--quick"))
                .hasMessage("--users needs a value");
    }

    @Test
    void should_reject_an_unknown_option_when_given() {
        assertThatThrownBy(() -> DrillOptions.parse("--fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option '--fast'");
    }

    @Test
    void should_ask_for_usage_when_help_is_given() {
        assertThat(DrillOptions.parse("--help").help()).isTrue();
        assertThat(DrillOptions.USAGE).contains("--duration", "--quick", "--users", "--report", "FAILOVER_");
    }

    @Test
    void should_run_one_replica_without_redis_when_no_fleet_option_is_given() {
        // given / when
        DrillOptions options = DrillOptions.parse();

        // then
        assertThat(options.replicas()).isEqualTo(1);
        assertThat(options.redis()).isNull();
    }

    @Test
    void should_spread_users_over_replicas_sharing_redis_when_replicas_and_redis_are_given() {
        // given / when
        DrillOptions options = DrillOptions.parse("--replicas", "4", "--redis", "redis://10.0.0.5:6379");

        // then
        assertThat(options.replicas()).isEqualTo(4);
        assertThat(options.redis()).isEqualTo("redis://10.0.0.5:6379");
        assertThat(DrillOptions.parse("--replicas", "2", "--redis", "local").redis()).isEqualTo(DrillOptions.LOCAL_REDIS);
    }

    @Test
    void should_name_the_bad_value_when_replicas_or_redis_are_wrong() {
        assertThatThrownBy(() -> DrillOptions.parse("--replicas", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--replicas must be between 1 and 16 but was 0");
        assertThatThrownBy(() -> DrillOptions.parse("--users", "2", "--replicas", "3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--replicas (3) must not exceed --users (2)");
        assertThatThrownBy(() -> DrillOptions.parse("--redis", "http://user:hunter2@host")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'http://****@host'").hasMessageNotContaining("hunter2");
    }
}
