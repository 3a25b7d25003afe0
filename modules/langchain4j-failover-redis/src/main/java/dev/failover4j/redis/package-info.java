/**
 * Fleet mode: {@link dev.failover4j.redis.RedisTargetState} shares what each replica of an application learns
 * about its providers (breaker openings, Retry-After and other cool-downs, half-open trials) through Redis, so that
 * N replicas behave like one toward a provider in trouble. Redis is optional at run time.
 */
package dev.failover4j.redis;
