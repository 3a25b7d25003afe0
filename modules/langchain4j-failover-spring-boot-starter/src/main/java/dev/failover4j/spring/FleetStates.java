package dev.failover4j.spring;

import dev.failover4j.redis.RedisTargetState;
import java.util.function.UnaryOperator;

/**
 * Builds the {@link RedisTargetState} of {@code langchain4j.failover.redis.*}. Loaded only when
 * {@code langchain4j-failover-redis} is on the class path. Every failure is a {@link FailoverPropertyException}
 * naming the property, the URI's password masked.
 */
final class FleetStates {

    private static final String P = FailoverProperties.PREFIX + ".redis.";

    private FleetStates() {}

    /**
     * @param applicationName {@code spring.application.name}, or null: the namespace when none is set
     * @throws FailoverPropertyException naming the property that cannot work
     */
    static RedisTargetState build(FailoverProperties.Redis redis, String applicationName) {
        String uri = redis.uri() == null ? "" : redis.uri().trim();
        if (uri.isEmpty()) {
            throw new FailoverPropertyException(P + "uri", "is not set; set it to turn fleet mode on");
        }
        if (uri.contains("${")) {
            throw new FailoverPropertyException(P + "uri", "is an unresolved ${...} placeholder: the environment variable "
                    + "or property it refers to is not set (to run without fleet mode where it is not set, give it an "
                    + "empty default: ${REDIS_URL:})");
        }
        RedisTargetState state;
        try {
            state = RedisTargetState.using(uri);
        } catch (IllegalArgumentException | NullPointerException e) {
            // the library masks the password; the starter masks it again, wherever the message may quote it
            throw new FailoverPropertyException(P + "uri", RedisUris.masked(String.valueOf(e.getMessage()), uri)
                    + "; expected redis://[:password@]host[:port][/database] or rediss://... for TLS");
        }
        String namespace = namespace(redis, applicationName);
        state = setting(P + "namespace", uri, state, s -> s.namespace(namespace));
        if (redis.commandTimeout() != null) {
            state = setting(P + "command-timeout", uri, state, s -> s.commandTimeout(redis.commandTimeout()));
        }
        if (redis.syncInterval() != null) {
            state = setting(P + "sync-interval", uri, state, s -> s.syncInterval(redis.syncInterval()));
        }
        return state;
    }

    private static String namespace(FailoverProperties.Redis redis, String applicationName) {
        if (redis.namespace() != null) {
            return redis.namespace();
        }
        if (applicationName == null || applicationName.isBlank()) {
            return FailoverProperties.Redis.DEFAULT_NAMESPACE;
        }
        String name = applicationName.trim();
        if (!name.matches("[^\\s{}:]+")) {
            throw new FailoverPropertyException(P + "namespace", "is not set, and spring.application.name ('" + name
                    + "') cannot be a namespace (it has white space, braces or ':'); set " + P + "namespace, the same on "
                    + "every replica of this application");
        }
        return name;
    }

    /** One setting of the library's; what it rejects is reported under {@code path}. */
    private static RedisTargetState setting(String path, String uri, RedisTargetState state,
            UnaryOperator<RedisTargetState> step) {
        try {
            return step.apply(state);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new FailoverPropertyException(path, RedisUris.masked(String.valueOf(e.getMessage()), uri));
        }
    }
}
