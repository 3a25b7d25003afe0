package dev.failover4j.micrometer;

import java.util.Locale;

/** Tag keys and values: enum constants in lower case, computed once (no string built per event). */
final class TagValues {

    static final String TARGET = "target";
    static final String OUTCOME = "outcome";
    static final String KIND = "kind";
    static final String REASON = "reason";
    static final String TO = "to";
    static final String OPERATION_NAME = "gen_ai.operation.name";
    static final String REQUEST_MODEL = "gen_ai.request.model";
    static final String TOKEN_TYPE = "gen_ai.token.type";
    static final String ERROR_TYPE = "error.type";

    static final String CHAT = "chat";
    /** A tag that does not apply (kept rather than left out: Prometheus wants one set of tag keys per name). */
    static final String NONE = "none";
    static final String SERVED = "served";
    static final String FAILED_OVER = "failed_over";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";
    static final String STARTED = "started";
    static final String WON = "won";
    static final String INPUT = "input";
    static final String OUTPUT = "output";

    private TagValues() {}

    static <E extends Enum<E>> String[] lowerCase(Class<E> type) {
        E[] constants = type.getEnumConstants();
        String[] values = new String[constants.length];
        for (int i = 0; i < constants.length; i++) {
            values[i] = constants[i].name().toLowerCase(Locale.ROOT);
        }
        return values;
    }
}
