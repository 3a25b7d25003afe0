package dev.failover4j.redis.internal;

/**
 * The Lua scripts that change fleet state, each atomic in Redis. Every key they write gets a TTL; every change
 * they make is published on the namespace's channel in the {@link FleetMessage} format, so replicas learn it
 * without polling. Keys of one target share a hash slot ({@link FleetKeys}).
 */
final class FleetScripts {

    private FleetScripts() {}

    /**
     * Opens the fleet's breaker, unless already open for longer. KEYS: open, down, trial, failures. ARGV: reason,
     * open millis, down millis, channel, origin, target.
     */
    static final String OPEN = """
            if redis.call('PTTL', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
            redis.call('DEL', KEYS[3], KEYS[4])
            redis.call('PUBLISH', ARGV[4], 'OPEN ' .. ARGV[5] .. ' ' .. ARGV[2] .. ' ' .. ARGV[1] .. ' ' .. ARGV[6])
            return 1
            """;

    /**
     * Counts one failure against health fleet-wide; the one that reaches the threshold opens the breaker everywhere.
     * Ignored while the fleet's breaker is not closed (trials report through {@link #OPEN}). KEYS: open, down, trial,
     * failures. ARGV: threshold, window millis, open millis, down millis, channel, origin, target.
     */
    static final String FAIL = """
            if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
            local n = redis.call('INCR', KEYS[4])
            redis.call('PEXPIRE', KEYS[4], ARGV[2])
            if n < tonumber(ARGV[1]) then return n end
            redis.call('SET', KEYS[1], 'CIRCUIT_OPEN', 'PX', ARGV[3])
            redis.call('SET', KEYS[2], '1', 'PX', ARGV[4])
            redis.call('DEL', KEYS[3], KEYS[4])
            redis.call('PUBLISH', ARGV[5], 'OPEN ' .. ARGV[6] .. ' ' .. ARGV[3] .. ' CIRCUIT_OPEN ' .. ARGV[7])
            return n
            """;

    /** A 429: keeps the target out fleet-wide, unless already for longer. KEYS: rate-limited. ARGV: millis, channel, origin, target. */
    static final String RATE_LIMIT = """
            if redis.call('PTTL', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
            redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
            redis.call('PUBLISH', ARGV[2], 'RATE_LIMITED ' .. ARGV[3] .. ' ' .. ARGV[1] .. ' - ' .. ARGV[4])
            return 1
            """;

    /**
     * A fleet trial succeeded enough: closed everywhere, unless someone opened it again meanwhile. KEYS: open, down,
     * trial, failures. ARGV: channel, origin, target.
     */
    static final String CLOSE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
            redis.call('PUBLISH', ARGV[1], 'CLOSED ' .. ARGV[2] .. ' 0 - ' .. ARGV[3])
            return 1
            """;

    /** The target answered a probe or last-resort trial: the open phase ends, trials decide. KEYS: open. ARGV: channel, origin, target. */
    static final String HALF_OPEN = """
            if redis.call('DEL', KEYS[1]) == 0 then return 0 end
            redis.call('PUBLISH', ARGV[1], 'HALF ' .. ARGV[2] .. ' 0 - ' .. ARGV[3])
            return 1
            """;

    /** An operator cleared the target everywhere. KEYS: open, down, trial, failures, rate-limited. ARGV: channel, origin, target. */
    static final String RESET = """
            redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
            redis.call('PUBLISH', ARGV[1], 'RESET ' .. ARGV[2] .. ' 0 - ' .. ARGV[3])
            return 1
            """;

    /**
     * Claims the half-open trial lease (or keeps it). KEYS: trial. ARGV: replica id, lease millis. Returns -1 when
     * granted, else how many milliseconds the holder keeps it.
     */
    static final String CLAIM = """
            local holder = redis.call('GET', KEYS[1])
            if (not holder) or holder == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return -1
            end
            return redis.call('PTTL', KEYS[1])
            """;

    /** Claims this interval's probe of a target. KEYS: probe. ARGV: replica id, interval millis. Returns 1 when granted. */
    static final String CLAIM_PROBE = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
            return 0
            """;

    /**
     * What the fleet knows about a target. KEYS: open, down, rate-limited, trial. Returns {open reason or '', open
     * millis left, down (0/1), rate-limited millis left, trial holder or '', trial millis left}.
     */
    static final String SYNC = """
            return {redis.call('GET', KEYS[1]) or '', redis.call('PTTL', KEYS[1]), redis.call('EXISTS', KEYS[2]),
                    redis.call('PTTL', KEYS[3]), redis.call('GET', KEYS[4]) or '', redis.call('PTTL', KEYS[4])}
            """;

    /**
     * Takes a lease from a fleet-wide budget, atomically, in fixed windows on Redis's clock (so replicas' clocks need
     * not agree). KEYS: the budget's base key (window keys are derived from it, in its hash slot). ARGV: window
     * millis, requests per window (0: none), tokens per window (0: none), requests wanted, tokens wanted, replica id,
     * window offset (0 this window, 1 the next: a reservation). Grants what is left, up to what was wanted. Returns
     * {requests granted, tokens granted, millis until the window ends, replicas that took in it, window index}.
     */
    static final String TAKE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local w = tonumber(ARGV[1])
            local win = math.floor(now / w) + tonumber(ARGV[7])
            local left = (win + 1) * w - now
            local function take(kind, limit, want)
              if limit <= 0 or want <= 0 then return 0 end
              local k = KEYS[1] .. ':' .. kind .. ':' .. win
              local used = tonumber(redis.call('GET', k) or '0')
              local grant = math.max(0, math.min(want, limit - used))
              if grant > 0 then
                redis.call('INCRBY', k, grant)
                redis.call('PEXPIRE', k, left + w)
              end
              return grant
            end
            local r = take('r', tonumber(ARGV[2]), tonumber(ARGV[4]))
            local tk = take('t', tonumber(ARGV[3]), tonumber(ARGV[5]))
            local who = KEYS[1] .. ':w:' .. win
            redis.call('SADD', who, ARGV[6])
            redis.call('PEXPIRE', who, left + w)
            return {r, tk, left, redis.call('SCARD', who), win}
            """;
}
