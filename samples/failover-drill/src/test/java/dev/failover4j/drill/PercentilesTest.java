package dev.failover4j.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void should_return_the_nearest_rank_when_values_are_unsorted() {
        // given
        long[] values = {50, 10, 40, 20, 30, 100, 90, 80, 70, 60};

        // when / then
        assertThat(Percentiles.of(values, 50)).isEqualTo(50);
        assertThat(Percentiles.of(values, 90)).isEqualTo(90);
        assertThat(Percentiles.of(values, 99)).isEqualTo(100);
        assertThat(Percentiles.of(values, 100)).isEqualTo(100);
        assertThat(Percentiles.of(values, 1)).isEqualTo(10);
    }

    @Test
    void should_not_reorder_the_callers_array_when_computing() {
        // given
        long[] values = {3, 1, 2};

        // when
        Percentiles.of(values, 50);

        // then
        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void should_see_the_outliers_at_p99_when_more_than_one_call_in_a_hundred_hangs() {
        // given: 3 slow calls in 200 (1.5 %)
        long[] values = new long[200];
        java.util.Arrays.fill(values, 100);
        values[17] = 2_000;
        values[123] = 2_100;
        values[199] = 2_200;

        // when / then
        assertThat(Percentiles.of(values, 50)).isEqualTo(100);
        assertThat(Percentiles.of(values, 99)).isEqualTo(2_000);
    }

    @Test
    void should_return_zero_when_there_are_no_values() {
        assertThat(Percentiles.of(new long[0], 99)).isZero();
    }

    @Test
    void should_reject_the_percentile_when_out_of_range() {
        assertThatThrownBy(() -> Percentiles.of(new long[] {1}, 0))
                .hasMessage("percentile must be in (0, 100] but was 0.0");
        assertThatThrownBy(() -> Percentiles.of(new long[] {1}, 101))
                .hasMessage("percentile must be in (0, 100] but was 101.0");
    }
}
