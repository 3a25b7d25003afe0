package dev.failover4j.testkit.internal;

import dev.failover4j.testkit.ChaosStats;
import dev.failover4j.testkit.ContextLengthWording;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.FaultKind;
import dev.failover4j.testkit.FaultSchedule;
import dev.failover4j.testkit.RecordedChatRequest;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the server and the proxy share: a MockWebServer on 127.0.0.1, a dispatcher that records each
 * request, asks the {@link FaultPlan} what to do and either renders the fault or asks the
 * {@link Responder}; counters; the token counting and context-length wording of what it simulates; and a
 * shutdown signal that releases everything that waits on purpose.
 */
public final class ChaosEngine implements AutoCloseable {

    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    private final String name;
    private final String defaultModel;
    private final Clock clock;
    private final Duration baseLatency;
    private final Tokens tokens;
    private final ContextLengthWording wording;
    private final FaultPlan plan;
    private final Counters counters = new Counters();
    private final ShutdownSignal shutdown = new ShutdownSignal();
    private final AtomicLong sequence = new AtomicLong();
    private final List<RecordedChatRequest> recorded = new ArrayList<>();
    private final LinkedBlockingQueue<RecordedChatRequest> unread = new LinkedBlockingQueue<>();
    private final MockWebServer server = new MockWebServer();
    private Responder responder;

    public ChaosEngine(String name, String defaultModel, Clock clock, long seed, Duration baseLatency,
                       Tokens tokens, ContextLengthWording wording) {
        this.name = name;
        this.defaultModel = defaultModel;
        this.clock = clock;
        this.baseLatency = baseLatency;
        this.tokens = tokens;
        this.wording = wording;
        this.plan = new FaultPlan(clock, seed);
        // HTTP/1.1 only: the JDK client's h2c upgrade offer must not change how faults look on the wire.
        server.setProtocols(List.of(Protocol.HTTP_1_1));
        server.setDispatcher(new ChaosDispatcher());
    }

    /** Sets the responder; must be called once, before {@link #start(int)}. */
    public void responder(Responder responder) {
        this.responder = responder;
    }

    public ShutdownSignal shutdownSignal() {
        return shutdown;
    }

    public Clock clock() {
        return clock;
    }

    /** How prompt and completion tokens are counted (usage, records, windows). */
    public Tokens tokens() {
        return tokens;
    }

    /** The wording of every context-length 400. */
    public ContextLengthWording contextLengthWording() {
        return wording;
    }

    public synchronized void start(int port) {
        if (responder == null) {
            throw new IllegalStateException("responder not set");
        }
        if (shutdown.isFired()) {
            throw new IllegalStateException(name + " was closed; endpoints are not restartable");
        }
        if (server.getStarted()) {
            return;
        }
        tokens.preload();
        try {
            server.start(InetAddress.getByAddress(LOOPBACK), port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " on 127.0.0.1:" + port, e);
        }
        plan.restartEpoch();
    }

    public boolean isStarted() {
        return server.getStarted();
    }

    public int port() {
        requireStarted();
        return server.getPort();
    }

    public String origin() {
        return "http://127.0.0.1:" + port();
    }

    private void requireStarted() {
        if (!server.getStarted()) {
            throw new IllegalStateException(name + " is not started");
        }
    }

    public void inject(Fault fault, int times) {
        plan.inject(fault, times);
    }

    public void schedule(FaultSchedule schedule) {
        plan.schedule(schedule);
    }

    public void clearFaults() {
        plan.clear();
    }

    public java.time.Instant scheduleEpoch() {
        return plan.epoch();
    }

    public List<RecordedChatRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    public int requestCount() {
        synchronized (recorded) {
            return recorded.size();
        }
    }

    public RecordedChatRequest takeRequest(Duration timeout) {
        try {
            return unread.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public ChaosStats stats() {
        return counters.snapshot();
    }

    public void reset() {
        plan.clear();
        plan.restartEpoch();
        synchronized (recorded) {
            recorded.clear();
            unread.clear();
        }
        drainServerQueue();
        counters.reset();
    }

    /**
     * Drops what MockWebServer queued for its own {@code takeRequest} (≈ 1.5 KB per request, kept until
     * taken): we record requests ourselves and never take them from there, so without this a long-running
     * server grows by every request it ever received.
     *
     * @return how many were dropped
     */
    public int drainServerQueue() {
        int dropped = 0;
        try {
            while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
                dropped++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return dropped;
    }

    @Override
    public void close() {
        shutdown.fire();
        server.close();
    }

    private final class ChaosDispatcher extends Dispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest raw) {
            counters.request();
            RecordedChatRequest request;
            try {
                request = RequestParser.parse(raw, sequence.incrementAndGet(), clock.instant(), tokens);
            } catch (RuntimeException e) {
                // Only a user's token counter can throw here; the client sees a 500, as from a broken server.
                return FaultResponses.json(500, ErrorBodies.forStatus(500)).build();
            }
            synchronized (recorded) {
                recorded.add(request);
                unread.add(request);
            }
            FaultPlan.Decision decision = plan.decide(request);
            decision.applied().forEach(counters::fault);
            MockResponse.Builder response;
            Fault outcome = decision.outcome();
            try {
                if (outcome != null && !outcome.kind().isStreamFault()) {
                    response = FaultResponses.render(outcome, request, defaultModel, wording);
                } else {
                    response = responder.respond(request, raw, outcome, counters::served);
                }
            } catch (RuntimeException e) {
                response = FaultResponses.json(500, ErrorBodies.forStatus(500));
            }
            long delayNanos = baseLatency.plus(decision.delay()).toNanos();
            if (delayNanos > 0) {
                response.headersDelay(delayNanos, TimeUnit.NANOSECONDS);
            }
            return response.build();
        }
    }

    /** Counts a fault the responder applied itself (the server's own context window). */
    public void countFault(FaultKind kind) {
        counters.fault(kind);
    }
}
