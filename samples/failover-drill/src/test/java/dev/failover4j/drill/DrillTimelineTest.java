package dev.failover4j.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrillTimelineTest {

    @Test
    void should_cover_the_whole_drill_with_contiguous_phases_when_built() {
        // given
        DrillTimeline timeline = new DrillTimeline(Duration.ofSeconds(60));

        // when
        long covered = 0;
        long previousEnd = 0;
        for (DrillPhase phase : DrillPhase.values()) {
            assertThat(timeline.startMillis(phase)).isEqualTo(previousEnd);
            previousEnd = timeline.endMillis(phase);
            covered += timeline.lengthMillis(phase);
        }

        // then
        assertThat(covered).isEqualTo(60_000);
        assertThat(timeline.lengthMillis(DrillPhase.OUTAGE)).isEqualTo(12_000);
    }

    @Test
    void should_name_the_running_phase_when_asked_for_a_time() {
        // given
        DrillTimeline timeline = new DrillTimeline(Duration.ofSeconds(60));

        // when / then
        assertThat(timeline.phaseAt(0)).isEqualTo(DrillPhase.HEALTHY);
        assertThat(timeline.phaseAt(timeline.startMillis(DrillPhase.HANG))).isEqualTo(DrillPhase.HANG);
        assertThat(timeline.phaseAt(timeline.startMillis(DrillPhase.HANG) - 1)).isEqualTo(DrillPhase.SLOW);
        assertThat(timeline.phaseAt(timeline.startMillis(DrillPhase.OUTAGE) - 1)).isEqualTo(DrillPhase.RATE_LIMIT_STORM);
        assertThat(timeline.phaseAt(120_000)).isEqualTo(DrillPhase.RECOVERY);
    }

    @Test
    void should_scale_timings_down_but_not_below_their_floors_when_the_drill_is_short() {
        // given
        DrillTiming standard = DrillTiming.scaledTo(DrillOptions.parse("--duration", "60s"));
        DrillTiming longer = DrillTiming.scaledTo(DrillOptions.parse("--duration", "5m"));
        DrillTiming quick = DrillTiming.scaledTo(DrillOptions.parse("--duration", "6s"));

        // when / then
        assertThat(standard.breakerDelay()).isEqualTo(Duration.ofSeconds(4));
        assertThat(standard.attemptTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(longer).isEqualTo(standard);
        assertThat(quick.breakerDelay()).isEqualTo(Duration.ofMillis(750));
        assertThat(quick.attemptTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(quick.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(quick.deadline()).isEqualTo(Duration.ofSeconds(8));
    }
}
