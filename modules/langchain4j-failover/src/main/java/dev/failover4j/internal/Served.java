package dev.failover4j.internal;

/** What the planning core returns: the target that served, its result, and the call's record. */
public record Served<T>(TargetRuntime target, T value, CallContext call) {}
