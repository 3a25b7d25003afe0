/**
 * Spring Boot auto-configuration for langchain4j-failover: {@code langchain4j.failover.*} properties
 * ({@link dev.failover4j.spring.FailoverProperties}), the {@link dev.failover4j.FailoverGroup} and its two models as
 * beans, startup checks that name the bad property but never an API key, and Micrometer meters.
 */
package dev.failover4j.spring;
