package dev.failover4j.redis.internal;

import dev.failover4j.SkipReason;

/**
 * One fact published on the namespace's channel: {@code <type> <origin> <millis> <reason|-> <target>}. The target
 * comes last so that its name may hold any character; durations travel as remaining milliseconds, never as
 * instants, so replicas need not share a clock. Nothing secret: a target's name, a state, a duration.
 *
 * @param type   what happened
 * @param origin the id of the replica that published it
 * @param millis how long it lasts (open, rate-limited), else 0
 * @param reason why a target is open, or null
 * @param target the target's name
 */
record FleetMessage(Type type, String origin, long millis, SkipReason reason, String target) {

    enum Type {
        /** The target's breaker opened fleet-wide for {@code millis}. */
        OPEN,
        /** The open phase ended early (a probe or last-resort trial answered): half-open now. */
        HALF,
        /** A fleet trial succeeded enough: closed everywhere. */
        CLOSED,
        /** An operator cleared the target (breaker and cool-downs) everywhere. */
        RESET,
        /** A 429 keeps the target out for {@code millis}. */
        RATE_LIMITED
    }

    String encode() {
        return type.name() + ' ' + origin + ' ' + millis + ' ' + (reason == null ? "-" : reason.name()) + ' ' + target;
    }

    /** @return the message, or null when it is not one of ours (ignored: another version or a stray publisher) */
    static FleetMessage decode(String text) {
        String[] parts = text.split(" ", 5);
        if (parts.length != 5) {
            return null;
        }
        try {
            return new FleetMessage(Type.valueOf(parts[0]), parts[1], Long.parseLong(parts[2]),
                    "-".equals(parts[3]) ? null : SkipReason.valueOf(parts[3]), parts[4]);
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }
}
