package dev.failover4j.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultScheduleTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void should_be_active_only_inside_its_window_when_it_has_a_start_and_a_length() {
        // given
        FaultSchedule s = FaultSchedule.builder().from(Duration.ofSeconds(5)).lasting(Duration.ofSeconds(10))
                .fault(Fault.httpStatus(500)).build();

        // then
        assertThat(s.isActiveAt(Duration.ofMillis(4_999))).isFalse();
        assertThat(s.isActiveAt(Duration.ofSeconds(5))).isTrue();
        assertThat(s.isActiveAt(Duration.ofMillis(14_999))).isTrue();
        assertThat(s.isActiveAt(Duration.ofSeconds(15))).isFalse();
    }

    @Test
    void should_stay_active_forever_when_no_length_is_given() {
        // given
        FaultSchedule s = FaultSchedule.builder().from(Duration.ofSeconds(1)).fault(Fault.hang()).build();

        // then
        assertThat(s.isActiveAt(Duration.ZERO)).isFalse();
        assertThat(s.isActiveAt(Duration.ofDays(365))).isTrue();
    }

    @Test
    void should_recur_when_a_period_is_given() {
        // given: down for 2 s every 10 s from t = 3 s
        FaultSchedule s = FaultSchedule.builder().from(Duration.ofSeconds(3)).lasting(Duration.ofSeconds(2))
                .repeatEvery(Duration.ofSeconds(10)).fault(Fault.httpStatus(503)).build();

        // then
        assertThat(s.isActiveAt(Duration.ofSeconds(4))).isTrue();
        assertThat(s.isActiveAt(Duration.ofSeconds(5))).isFalse();
        assertThat(s.isActiveAt(Duration.ofSeconds(13))).isTrue();
        assertThat(s.isActiveAt(Duration.ofSeconds(16))).isFalse();
    }

    @Test
    void should_reject_a_period_shorter_than_the_window_when_built() {
        assertThatThrownBy(() -> FaultSchedule.builder().lasting(Duration.ofSeconds(5))
                .repeatEvery(Duration.ofSeconds(2)).fault(Fault.hang()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PT2S");
        assertThatThrownBy(() -> FaultSchedule.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fault");
        assertThatThrownBy(() -> FaultSchedule.builder().from(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
    }

    @Test
    void should_fail_requests_only_during_the_scheduled_window_when_the_clock_moves() throws Exception {
        // given
        MutableClock clock = MutableClock.at(T0);
        try (ChaosOpenAiServer server = ChaosOpenAiServer.builder().clock(clock).build().start()) {
            server.schedule(FaultSchedule.builder().from(Duration.ofSeconds(5)).lasting(Duration.ofSeconds(10))
                    .fault(Fault.httpStatus(500)).build());

            // when
            List<Integer> statuses = new ArrayList<>();
            for (int second : new int[] {0, 4, 5, 10, 14, 15, 60}) {
                clock.set(T0.plusSeconds(second));
                statuses.add(Clients.post(server.baseUrl() + "/chat/completions", Clients.chatJson("hi", false))
                        .statusCode());
            }

            // then
            assertThat(statuses).containsExactly(200, 200, 500, 500, 500, 200, 200);
            assertThat(server.stats().faultCount(FaultKind.HTTP_STATUS)).isEqualTo(3);
        }
    }

    @Test
    void should_count_the_schedule_from_the_reset_when_the_server_is_reset() throws Exception {
        // given
        MutableClock clock = MutableClock.at(T0);
        try (ChaosOpenAiServer server = ChaosOpenAiServer.builder().clock(clock).build().start()) {
            clock.advance(Duration.ofMinutes(1));
            server.reset();
            server.schedule(FaultSchedule.builder().lasting(Duration.ofSeconds(10))
                    .fault(Fault.rateLimited(Duration.ofSeconds(3))).build());

            // when
            int during = Clients.post(server.baseUrl() + "/chat/completions", Clients.chatJson("hi", false))
                    .statusCode();
            clock.advance(Duration.ofSeconds(10));
            int after = Clients.post(server.baseUrl() + "/chat/completions", Clients.chatJson("hi", false))
                    .statusCode();

            // then
            assertThat(during).isEqualTo(429);
            assertThat(after).isEqualTo(200);
        }
    }
}
