package dev.failover4j.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultTest {

    @Test
    void should_name_the_bad_value_when_a_factory_argument_is_invalid() {
        assertThatThrownBy(() -> Fault.httpStatus(200)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was 200");
        assertThatThrownBy(() -> Fault.rateLimited(Duration.ofSeconds(-3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-3S");
        assertThatThrownBy(() -> Fault.contextLengthAbove(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was 0");
        assertThatThrownBy(() -> Fault.streamCutAfter(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was -1");
        assertThatThrownBy(() -> Fault.hang().withProbability(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was 1.5");
        assertThatThrownBy(() -> Fault.latency(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT1S");
    }

    @Test
    void should_return_a_copy_and_keep_the_original_when_a_probability_is_set() {
        // given
        Fault always = Fault.httpStatus(503);

        // when
        Fault sometimes = always.withProbability(0.25);

        // then
        assertThat(always.probability()).isEqualTo(1.0);
        assertThat(sometimes.probability()).isEqualTo(0.25);
        assertThat(sometimes.kind()).isEqualTo(FaultKind.HTTP_STATUS);
        assertThat(sometimes.status()).isEqualTo(503);
        assertThat(sometimes).hasToString("Fault[HTTP_STATUS 503 p=0.25]");
    }

    @Test
    void should_mark_only_stream_kinds_as_stream_faults_when_asked() {
        assertThat(Fault.streamCutAfter(1).kind().isStreamFault()).isTrue();
        assertThat(Fault.streamStallAfter(1).kind().isStreamFault()).isTrue();
        assertThat(Fault.streamErrorEventAfter(1).kind().isStreamFault()).isTrue();
        assertThat(Fault.hang().kind().isStreamFault()).isFalse();
    }

    @Test
    void should_draw_the_same_latencies_when_the_seed_is_the_same() {
        // given
        LatencyDistribution d = LatencyDistribution.logNormal(Duration.ofMillis(200), Duration.ofSeconds(2));

        // when
        List<Duration> a = samples(d, new Random(42), 20);
        List<Duration> b = samples(d, new Random(42), 20);

        // then
        assertThat(a).isEqualTo(b);
    }

    @Test
    void should_match_median_and_p99_and_cap_the_tail_when_sampled_log_normally() {
        // given
        LatencyDistribution d = LatencyDistribution.logNormal(Duration.ofMillis(200), Duration.ofSeconds(2));

        // when
        List<Duration> s = samples(d, new Random(1), 20_000);
        s.sort(null);

        // then
        assertThat(s.get(10_000).toMillis()).isBetween(180L, 220L);
        assertThat(s.get(19_800).toMillis()).isBetween(1_700L, 2_300L);
        assertThat(s.get(19_999)).isLessThanOrEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void should_always_give_the_delay_when_the_distribution_is_fixed() {
        assertThat(LatencyDistribution.fixed(Duration.ofMillis(30)).sample(new Random())).isEqualTo(Duration.ofMillis(30));
    }

    private static List<Duration> samples(LatencyDistribution d, Random random, int n) {
        List<Duration> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(d.sample(random));
        }
        return out;
    }
}
