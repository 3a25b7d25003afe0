package dev.failover4j.benchmarks.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.failover4j.FailoverTarget;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The soak's plumbing, which only a hand-run driver uses: once a testkit refactoring broke it without a
 * sound (the child JVM died at its first recycle, the schedule stopped, and the soak "passed" against
 * healthy servers). These run it for real, for a few seconds, in CI.
 */
class ServerProcessTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void should_serve_calls_and_report_the_totals_and_the_faults_that_did_not_happen_yet_when_asked_for_stats() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ServerProcess servers = new ServerProcess()) {
                // given a few calls to each chaos server (the schedule's first outage starts at 0:02)
                int calls = 0;
                for (FailoverTarget target : servers.targets()) {
                    for (int i = 0; i < 3; i++) {
                        try {
                            target.chatModel().chat(ChatRequest.builder().messages(UserMessage.from("q" + i)).build());
                        } catch (RuntimeException injectedFault) {
                            // 2 % resets, malformed bodies...: the call still reached the server
                        }
                        calls++;
                    }
                }

                // when: stats makes the child fold its counters and reset its servers, as every cycle does
                ServerProcess.Stats first = servers.stats();
                ServerProcess.Stats second = servers.stats();

                // then
                assertThat(servers.alive()).isTrue();
                assertThat(first.text()).contains("requests a/b/c=3/3/3").contains("chaos-server JVM: heap after GC");
                assertThat(second.text()).as("totals survive the reset").contains("requests a/b/c=3/3/3");
                assertThat(calls).isEqualTo(9);
                // no stream was made, so no stream fault can have happened: the check that fails a broken schedule sees it
                assertThat(first.missingFaults()).contains("c:STREAM_CUT", "c:STREAM_STALL", "c:STREAM_ERROR_EVENT")
                        .isSubsetOf(SoakServers.SCHEDULED_FAULTS);
            }
        });
    }

    @Test
    void should_fail_stats_instead_of_waiting_when_the_chaos_server_jvm_is_gone() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ServerProcess servers = new ServerProcess()) {
                servers.kill();

                assertThatThrownBy(servers::stats).isInstanceOf(IOException.class).hasMessageContaining("ended");
                assertThat(servers.alive()).isFalse();
            }
        });
    }
}
