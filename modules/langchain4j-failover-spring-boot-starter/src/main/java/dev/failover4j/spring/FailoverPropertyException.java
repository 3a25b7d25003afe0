package dev.failover4j.spring;

import java.util.Objects;

/**
 * A {@code langchain4j.failover.*} property that cannot work: blank, unresolved or placeholder API keys, a missing
 * model or context window, duplicate target names, values the library rejects. Thrown while the failover group is
 * built, so the application does not start. The message names the property path (e.g.
 * {@code langchain4j.failover.targets[1].api-key}) and never an API key or header value; there is no cause, since
 * a library message could quote the value.
 */
public final class FailoverPropertyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String property;

    /**
     * @param property the full property path
     * @param problem  what is wrong and what to do, without the value
     */
    public FailoverPropertyException(String property, String problem) {
        super(Objects.requireNonNull(property, "property") + ": " + Objects.requireNonNull(problem, "problem"));
        this.property = property;
    }

    /** @return the full property path, e.g. {@code langchain4j.failover.targets[1].api-key} */
    public String property() {
        return property;
    }
}
