package dev.failover4j.internal;

/**
 * How many of a target's own tokens one of ours makes, learned from what the provider tells us: each answer's
 * {@code usage.prompt_tokens} against our count of what we sent, and a context-length error that states the
 * prompt's size (and the real window). Fitting divides the target's budget by the ratio, so a conversation
 * counted with o200k fits a model whose tokenizer needs 1.8 times as many tokens for the same Vietnamese text.
 *
 * <p>Robust to outliers and to hidden template tokens: only prompts of at least {@value #MIN_SAMPLE_TOKENS}
 * tokens are samples; the ratio follows a higher sample at once (a high-water mark: under-counting is what
 * breaks a call) and a lower one slowly ({@value #DECAY} of the difference per sample). An exact tokenizer
 * (an OpenAI model name) moves only when its usage disagrees by more than {@value #EXACT_NOISE}.
 *
 * <p>The call path reads one volatile double; updates are rare and synchronized. Thread-safe.
 */
final class TokenCalibration {

    static final int MIN_SAMPLE_TOKENS = 256;
    static final double DECAY = 0.05;
    static final double EXACT_NOISE = 0.02;
    /** A change worth an event (operators see "llama-70b counts 1.6 × o200k"). */
    static final double NOTEWORTHY = 0.05;
    private static final double MIN = 0.5;
    private static final double MAX = 4.0;

    private final boolean exact;
    private volatile double ratio;
    private volatile int learnedWindow;
    private long samples;
    private double announced;

    TokenCalibration(double initialRatio, boolean exactTokenizer) {
        this.ratio = initialRatio;
        this.announced = initialRatio;
        this.exact = exactTokenizer;
    }

    /** @return the current ratio (provider tokens per counted token) */
    double ratio() {
        return ratio;
    }

    /** @return the window a provider stated, when smaller than the declared one; 0 when none was learned */
    int learnedWindow() {
        return learnedWindow;
    }

    synchronized long samples() {
        return samples;
    }

    /** A noticeable move of the ratio, worth an event. */
    record Move(double from, double to, long samples) {}

    /**
     * @param counted  our exact count of the prompt we sent, or a negative number when we did not count it
     * @param reported what the provider reported for it
     * @return the move when the ratio moved noticeably since it was last announced, else null
     */
    Move fromUsage(int counted, Integer reported) {
        if (counted < MIN_SAMPLE_TOKENS || reported == null || reported <= 0) {
            return null;
        }
        double sample = (double) reported / counted;
        if ((exact && Math.abs(sample - 1.0) <= EXACT_NOISE) || sample < MIN || sample > MAX) {
            return null; // an exact count confirmed, or a figure that cannot be about this prompt's text
        }
        return update(sample, false);
    }

    /**
     * A context-length error stated the prompt's size in the provider's tokens and/or its real window.
     *
     * @param counted our exact count of the prompt we sent (negative when unknown)
     * @return what was learned: whether anything was (the same target is then worth one more try, re-fitted)
     *         and the ratio's move, if noticeable
     */
    synchronized Learned fromStated(int counted, Integer statedPrompt, Integer statedWindow, int declaredWindow) {
        boolean learned = false;
        Move move = null;
        if (statedWindow != null && statedWindow > 0 && statedWindow < declaredWindow
                && (learnedWindow == 0 || statedWindow < learnedWindow)) {
            learnedWindow = statedWindow;
            learned = true;
        }
        if (statedPrompt != null && counted > 0) {
            double sample = (double) statedPrompt / counted;
            if (sample > ratio * (1 + EXACT_NOISE) && sample <= MAX) { // beyond MAX it is not about this prompt's text
                move = update(sample, true);
                learned = true;
            }
        }
        return new Learned(learned, move);
    }

    /** What a stated context-length error taught. */
    record Learned(boolean anything, Move move) {}

    /** @return the move when the ratio moved noticeably since last announced, else null */
    private synchronized Move update(double sample, boolean atLeast) {
        samples++;
        double current = ratio;
        double next = sample >= current || atLeast ? sample : current - (current - sample) * DECAY;
        ratio = Math.max(MIN, Math.min(MAX, next));
        if (Math.abs(ratio - announced) > NOTEWORTHY * announced) {
            Move move = new Move(announced, ratio, samples);
            announced = ratio;
            return move;
        }
        return null;
    }
}
