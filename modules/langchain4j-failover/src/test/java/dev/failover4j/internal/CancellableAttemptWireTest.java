package dev.failover4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverTarget;
import dev.failover4j.FailureKind;
import dev.failover4j.FittingConfig;
import dev.failover4j.spi.InMemoryTargetState;
import dev.failover4j.spi.TargetStateFactory;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The seam for hedging: an attempt started on another thread and cancelled closes its HTTP exchange (the server
 * sees the disconnect), releases its thread and is not counted against its target.
 */
class CancellableAttemptWireTest {

    @Test
    void should_close_the_exchange_release_the_thread_and_count_nothing_when_a_running_attempt_is_cancelled() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // given: a target whose server reads the request and never answers
            FailoverTarget target = FailoverTarget.openAiCompatible("slow").baseUrl("http://127.0.0.1:" + server.getLocalPort() + "/v1")
                    .noApiKey().modelName("m").contextWindowTokens(8_000).build();
            FailoverConfig config = FailoverConfig.defaults();
            Clock clock = Clock.systemUTC();
            TargetRuntime runtime = new TargetRuntime(target,
                    new InMemoryTargetState(new TargetStateFactory.Context("slow", config, clock, (from, to) -> {})),
                    new TargetFitter(target, FittingConfig.defaults()), new LiveStats(clock, null));
            CallContext call = new CallContext(1, new Deadline(clock, Duration.ofSeconds(60)), new ListenerNotifier(List.of()),
                    new Redactor(List.of()), new TrafficLog(LoggerFactory.getLogger("test"), clock), LoggerFactory.getLogger("test"));
            ExecutorService executor = Executors.newSingleThreadExecutor();
            ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hi")).build();
            // when
            CancellableAttempt attempt = new TargetCall(config, clock).start(runtime, request, -1, call,
                    (t, r) -> t.target().chatModel().chat(r), Duration.ofSeconds(30), executor);
            try (Socket exchange = server.accept()) {
                exchange.setSoTimeout(10_000);
                InputStream in = exchange.getInputStream();
                in.read(new byte[256]); // the request arrived
                attempt.cancel();
                // then: the client closed the connection
                int next;
                do {
                    next = in.read();
                } while (next >= 0);
            }
            TargetCall.Outcome outcome = attempt.outcome().get(10, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(TargetCall.Outcome.Failed.class);
            assertThat(((TargetCall.Outcome.Failed) outcome).failure().kind()).isEqualTo(FailureKind.INTERRUPTED);
            assertThat(executor.submit(() -> "free").get(5, TimeUnit.SECONDS)).isEqualTo("free"); // the thread is back
            assertThat(runtime.snapshot().consecutiveFailures()).isZero();
            assertThat(runtime.snapshot().stats().failures()).isZero();
            assertThat(runtime.snapshot().stats().inFlight()).isZero();
            executor.shutdownNow();
        }
    }

    @Test
    void should_make_no_request_when_cancelled_before_it_starts() throws Exception {
        // given: the executor's only thread is busy
        ExecutorService executor = Executors.newSingleThreadExecutor();
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        executor.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        FailoverTarget target = FailoverTarget.openAiCompatible("never").baseUrl("http://127.0.0.1:1/v1").noApiKey().modelName("m")
                .contextWindowTokens(8_000).build();
        Clock clock = Clock.systemUTC();
        TargetRuntime runtime = new TargetRuntime(target,
                new InMemoryTargetState(new TargetStateFactory.Context("never", FailoverConfig.defaults(), clock, (from, to) -> {})),
                new TargetFitter(target, FittingConfig.defaults()), new LiveStats(clock, null));
        CallContext call = new CallContext(1, new Deadline(clock, Duration.ofSeconds(60)), new ListenerNotifier(List.of()),
                new Redactor(List.of()), new TrafficLog(LoggerFactory.getLogger("test"), clock), LoggerFactory.getLogger("test"));
        // when
        CancellableAttempt attempt = new TargetCall(FailoverConfig.defaults(), clock).start(runtime,
                ChatRequest.builder().messages(UserMessage.from("hi")).build(), -1, call, (t, r) -> {
                    throw new AssertionError("must not run");
                }, Duration.ofSeconds(1), executor);
        attempt.cancel();
        busy.countDown();
        // then
        TargetCall.Outcome outcome = attempt.outcome().get(5, TimeUnit.SECONDS);
        assertThat(((TargetCall.Outcome.Failed) outcome).failure().kind()).isEqualTo(FailureKind.INTERRUPTED);
        assertThat(call.attempts()).isEmpty();
        executor.shutdownNow();
    }
}
