/**
 * What other modules plug into the failover core: {@link dev.failover4j.spi.TargetState}, the state of one
 * target that every attempt reports to (in memory by default; shared through Redis in fleet mode), the
 * {@link dev.failover4j.spi.AttemptResult} it is told, and {@link dev.failover4j.spi.BudgetState}, a target's
 * requests and tokens per minute. Users of the library need none of it.
 */
package dev.failover4j.spi;
