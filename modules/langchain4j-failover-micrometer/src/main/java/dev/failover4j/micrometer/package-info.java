/**
 * Micrometer meters for a {@link dev.failover4j.FailoverGroup}: {@link dev.failover4j.micrometer.FailoverMetrics},
 * fed by the group's events and health snapshots only (the core's public API).
 */
package dev.failover4j.micrometer;
