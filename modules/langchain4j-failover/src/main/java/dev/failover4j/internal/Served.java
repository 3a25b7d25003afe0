package dev.failover4j.internal;

/**
 * What the planning core returns: the target that served, its result, the call's record, and whether the
 * serving attempt was a last-resort trial (an open-ended attempt, a stream, reports its end accordingly) or a hedge.
 */
record Served<T>(TargetRuntime target, T value, CallContext call, boolean lastResort, int countedPromptTokens, boolean hedged) {}
