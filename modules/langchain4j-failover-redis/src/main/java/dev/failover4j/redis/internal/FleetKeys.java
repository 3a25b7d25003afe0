package dev.failover4j.redis.internal;

/**
 * The Redis keys of one target in one namespace, {@code <namespace>:{<target>}:<what>}: the braces make every key
 * of a target one Redis Cluster hash slot, so that one script may touch them all. Each key is written with a TTL
 * (see {@link FleetScripts}); none holds anything but a state, a counter or a replica id.
 */
final class FleetKeys {

    private final String prefix;

    FleetKeys(String namespace, String target) {
        this.prefix = namespace + ":{" + target + "}:";
    }

    /** The namespace's pub/sub channel. */
    static String channel(String namespace) {
        return namespace + ":fleet";
    }

    /** Exists while the fleet's breaker is open; its value is the reason, its TTL what is left. */
    String open() {
        return prefix + "open";
    }

    /** Exists while the fleet's breaker is not closed (open, then half-open until a trial closes it). */
    String down() {
        return prefix + "down";
    }

    /** The replica holding the half-open trial lease. */
    String trial() {
        return prefix + "trial";
    }

    /** Failures counting against health since the last success, fleet-wide. */
    String failures() {
        return prefix + "fails";
    }

    /** Exists while a 429's Retry-After keeps the target out. */
    String rateLimited() {
        return prefix + "rl";
    }

    /** The replica that probes the target this interval. */
    String probe() {
        return prefix + "probe";
    }

    /**
     * The base of a budget's keys: {@code <base>:r:<window>} and {@code <base>:t:<window>} count the requests and
     * tokens granted in a window, {@code <base>:w:<window>} the replicas that took from it ({@link FleetScripts#TAKE}).
     */
    String budget() {
        return prefix + "b";
    }

    String[] breaker() {
        return new String[] {open(), down(), trial(), failures()};
    }

    @Override
    public String toString() {
        return prefix;
    }
}
