package dev.failover4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover4j.FailoverConfig;
import dev.failover4j.spi.TargetStateFactory;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad settings fail at once, naming the value; a configured factory is immutable; its text shows no password. */
class RedisTargetStateTest {

    @Test
    void should_name_the_bad_namespace_when_it_is_blank_or_has_a_separator() {
        assertThatThrownBy(() -> RedisTargetState.using("redis://127.0.0.1:1").namespace(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("' '");
        assertThatThrownBy(() -> RedisTargetState.using("redis://127.0.0.1:1").namespace("my:app"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'my:app'");
        assertThatThrownBy(() -> RedisTargetState.using("redis://127.0.0.1:1").namespace("a{b}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a{b}'");
    }

    @Test
    void should_name_the_bad_duration_when_a_timeout_or_interval_is_not_positive() {
        assertThatThrownBy(() -> RedisTargetState.using("redis://127.0.0.1:1").commandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("commandTimeout must be positive but was PT0S");
        assertThatThrownBy(() -> RedisTargetState.using("redis://127.0.0.1:1").syncInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("syncInterval must be positive but was PT-1S");
    }

    @Test
    void should_reject_a_uri_that_is_not_redis_without_showing_its_password() {
        assertThatThrownBy(() -> RedisTargetState.using("http://user:hunter2-SECRET@example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Redis URI")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void should_keep_the_original_unchanged_when_a_setting_is_given() {
        RedisTargetState base = RedisTargetState.using("redis://127.0.0.1:1");
        RedisTargetState named = base.namespace("my-app");
        assertThat(base.getNamespace()).isEqualTo(RedisTargetState.DEFAULT_NAMESPACE);
        assertThat(named.getNamespace()).isEqualTo("my-app");
    }

    @Test
    void should_show_no_password_when_printed() {
        RedisTargetState fleet = RedisTargetState.using("redis://:hunter2-SECRET@127.0.0.1:6390").namespace("my-app");
        assertThat(fleet.toString()).contains("my-app", "127.0.0.1:6390").doesNotContain("hunter2");
    }

    @Test
    void should_refuse_to_make_states_or_change_settings_when_closed() {
        RedisTargetState fleet = RedisTargetState.using("redis://127.0.0.1:1");
        fleet.close();
        assertThatThrownBy(() -> fleet.create(new TargetStateFactory.Context("t", FailoverConfig.defaults(), Clock.systemUTC(),
                (from, to) -> { }))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> fleet.namespace("other")).isInstanceOf(IllegalStateException.class);
    }
}
