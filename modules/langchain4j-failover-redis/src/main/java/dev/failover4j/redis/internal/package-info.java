/**
 * Plumbing of fleet mode, not API: {@code Fleet} (the door: one replica's membership in a namespace, its link to
 * Redis and its thread), {@code RedisLink} (connections, "is Redis usable", never a caller's wait),
 * {@code FleetTargetState} (a target's local truth plus the fleet's view), {@code FleetTrial} (the half-open lease),
 * {@code FleetScripts} (every write, atomic, TTLed, published) and {@code FleetKeys}.
 *
 * <h2>Hot-path rule</h2>
 * A healthy call on a closed target that no replica shared anything about reads one volatile field more than the
 * in-memory state ({@code FleetTargetState.view}, null) and makes no Redis round trip, no allocation, no lock.
 * Everything shared is a failure, a cool-down or a trial outcome, sent asynchronously.
 */
package dev.failover4j.redis.internal;
