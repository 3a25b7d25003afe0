/**
 * Spring Boot Actuator support: the {@code failover} health contributor and the {@code /actuator/failover}
 * operator endpoint, both built from {@link dev.failover4j.FailoverGroup#health()} and its operator actions.
 */
package dev.failover4j.spring.actuate;
