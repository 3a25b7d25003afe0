/**
 * The engine behind {@code FailoverGroup}: router, attempt runner, in-memory target state, classification,
 * redaction, HTTP decoration. Nothing here is API: every type is package-private except the group's door
 * ({@link dev.failover4j.internal.FailoverCore}) and two build-time helpers
 * ({@link dev.failover4j.internal.Validation}, {@link dev.failover4j.internal.FailoverHttpClientBuilder}).
 *
 * <h2>The shape (docs/ARCHITECTURE.md)</h2>
 * One call flows one way: {@code FailoverExecutor} asks the {@code Router} for the call's plan, checks each
 * candidate's admission with its {@code TargetState} and fits the request ({@code TargetFitter}), then hands
 * it to {@code TargetCall}, which takes a permit, runs one attempt (bounded by the shared
 * {@code AttemptTimer}) and reports how it ended through {@code TargetRuntime.record} — the one write path
 * to the target's state and stats. Retries after a first failed attempt run in one shared Failsafe
 * {@code RetryPolicy}; the breaker is Failsafe's, used standalone by the default state ({@code spi.InMemoryTargetState}).
 *
 * <h2>Hot-path rules (checked by {@code OverheadBenchmark}, numbers in docs/BENCHMARKS.md)</h2>
 * A healthy call on a closed target:
 * <ul>
 *   <li>wakes no thread: the attempt timer is armed by two writes and disarmed by one compare-and-set; its
 *       thread is woken only for a deadline earlier than the one it sleeps to (a scheduled task per call cost
 *       ≈ 35 µs of a 0.4 ms loopback call: a futex wake and an inter-processor interrupt);</li>
 *   <li>builds no Failsafe execution: the first attempt on a target runs outside Failsafe, and only a
 *       retryable failure starts the shared retry policy for the remaining {@code maxRetries - 1} retries,
 *       after the plan's first backoff. This is exactly what a policy of {@code maxRetries} around the first
 *       attempt would do (same count, same delays, same give-up rule — the retry tests in
 *       {@code FailoverChatLanguageModelWireTest} and {@code CircuitBreakerWireTest} hold either way), and
 *       spares every healthy call the policy executor (≈ 15 µs per call measured with the former chain);</li>
 *   <li>records nothing on the breaker while its window holds only successes (the last N results are the
 *       same either way): no lock on the breaker per call;</li>
 *   <li>reads the clock a fixed small number of times: the deadline in clock millis at start, the attempt's
 *       {@code nanoTime} at start and end; admission of a closed, never rate-limited target reads none;</li>
 *   <li>allocates nothing per target it does not use: the call's fits live in one array, lists of skipped or
 *       rate-limited targets are made only when a target is skipped, events only when someone listens, DEBUG
 *       lines only when enabled; stats are recorded wait-free (an HdrHistogram {@code Recorder}, adders, one
 *       compare-and-set for the moving average) and cost is computed when read, not per call.</li>
 * </ul>
 */
package dev.failover4j.internal;
