package dev.failover4j.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DrillStatsTest {

    private final DrillStats stats = new DrillStats(List.of("primary", "secondary", "budget"));

    @Test
    void should_summarise_calls_by_the_phase_they_started_in() {
        // given
        stats.record(CallRecord.served(0, 100, DrillPhase.HEALTHY, "primary", 1_000, 100, new BigDecimal("0.0035")));
        stats.record(CallRecord.served(900, 1_300, DrillPhase.HEALTHY, "primary", 1_000, 100, new BigDecimal("0.0035")));
        stats.record(CallRecord.served(1_000, 1_200, DrillPhase.OUTAGE, "secondary", 1_000, 100, new BigDecimal("0.0004")));
        stats.record(CallRecord.failed(1_100, 1_900, DrillPhase.OUTAGE, "FailoverException: every target failed"));

        // when
        CallSummary healthy = stats.phase(DrillPhase.HEALTHY);
        CallSummary outage = stats.phase(DrillPhase.OUTAGE);

        // then
        assertThat(healthy.calls()).isEqualTo(2);
        assertThat(healthy.share("primary")).isEqualTo(1.0);
        assertThat(healthy.cost()).isEqualByComparingTo("0.0070");
        assertThat(healthy.p50()).isEqualTo(100);
        assertThat(healthy.p99()).isEqualTo(400);
        assertThat(outage.errors()).isEqualTo(1);
        assertThat(outage.share("secondary")).isEqualTo(0.5);
        assertThat(outage.servedBy()).containsExactly(
                java.util.Map.entry("primary", 0L), java.util.Map.entry("secondary", 1L), java.util.Map.entry("budget", 0L));
        assertThat(stats.errors()).isEqualTo(1);
        assertThat(stats.total().calls()).isEqualTo(4);
    }

    @Test
    void should_bucket_calls_by_the_second_they_ended_in() {
        // given
        stats.record(CallRecord.served(0, 999, DrillPhase.HEALTHY, "primary", 1, 1, BigDecimal.ZERO));
        stats.record(CallRecord.served(500, 1_000, DrillPhase.HEALTHY, "budget", 1, 1, BigDecimal.ZERO));
        stats.record(CallRecord.served(2_500, 9_000, DrillPhase.HANG, "secondary", 1, 1, BigDecimal.ZERO));

        // when
        List<CallSummary> seconds = stats.perSecond(3);

        // then
        assertThat(seconds).extracting(CallSummary::calls).containsExactly(1L, 1L, 1L);
        assertThat(seconds.get(0).servedBy().get("primary")).isEqualTo(1);
        assertThat(seconds.get(1).servedBy().get("budget")).isEqualTo(1);
        assertThat(seconds.get(2).p99()).isEqualTo(6_500);
        assertThat(stats.endedBetween(999, 1_001).calls()).isEqualTo(2);
    }

    @Test
    void should_keep_every_call_when_users_record_concurrently() throws InterruptedException {
        // given
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);

        // when
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        stats.record(CallRecord.served(i, i + 10, DrillPhase.RECOVERY, "primary", 1, 1, BigDecimal.ONE));
                        stats.endedBetween(0, 100);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        start.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();

        // then
        assertThat(stats.phase(DrillPhase.RECOVERY).calls()).isEqualTo((long) threads * perThread);
        assertThat(stats.total().cost()).isEqualByComparingTo(BigDecimal.valueOf((long) threads * perThread));
    }

    @Test
    void should_report_provider_requests_per_phase_when_recorded() {
        // given
        stats.recordProviderRequests(DrillPhase.OUTAGE, "primary", 7);

        // when / then
        assertThat(stats.providerRequests(DrillPhase.OUTAGE, "primary")).isEqualTo(7);
        assertThat(stats.providerRequests(DrillPhase.OUTAGE, "budget")).isZero();
        assertThat(stats.providerRequests(DrillPhase.HANG, "primary")).isZero();
    }
}
