package dev.failover4j;

/**
 * What to do when the history does not fit a healthy higher-priority target whole.
 *
 * <ul>
 *   <li>{@link #TRUNCATE_FOR_PRIMARY} (default): keep the priority order; each target gets the
 *       history fitted to its own window (oldest turns dropped). Use it when the primary is your
 *       best or cheapest model and recent context is what matters (chatbots, agents).</li>
 *   <li>{@link #PREFER_FULL_HISTORY}: targets that can take the whole history go first (in priority
 *       order), then the ones that would need truncation. Use it when losing early context changes
 *       the answer (long documents, RAG with large retrieved context) and a larger-window fallback
 *       is acceptable in cost and quality.</li>
 * </ul>
 */
public enum FitStrategy {
    TRUNCATE_FOR_PRIMARY,
    PREFER_FULL_HISTORY
}
