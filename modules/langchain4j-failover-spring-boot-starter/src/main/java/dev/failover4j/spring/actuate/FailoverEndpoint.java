package dev.failover4j.spring.actuate;

import dev.failover4j.FailoverGroup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/failover}: {@code GET} returns a {@link FailoverSnapshot}; {@code POST}
 * {@code {"action":"reset","target":"primary"}} clears a target's breaker and cool-downs
 * ({@link FailoverGroup#resetHealth}), {@code {"action":"probe","target":"primary"}} sends it a one-token request
 * ({@link FailoverGroup#probe}, off the request path, bounded by the attempt timeout). Writes are operator actions:
 * expose the endpoint only where operators reach it and secure it (Spring Security). An unknown action or target
 * is a 400.
 */
@Endpoint(id = "failover")
public class FailoverEndpoint {

    private final FailoverGroup group;

    public FailoverEndpoint(FailoverGroup group) {
        this.group = Objects.requireNonNull(group, "group");
    }

    /** @return the group's state now */
    @ReadOperation
    public FailoverSnapshot snapshot() {
        return FailoverSnapshot.of(group);
    }

    /**
     * @param action {@code reset} or {@code probe}
     * @param target the target's name
     * @return {@code {"action":..., "target":..., "done": true}} for a reset; {@code "answered"} for a probe; and the
     *         target's state after it
     * @throws InvalidEndpointRequestException (400) for an unknown action or target
     */
    @WriteOperation
    public Map<String, Object> act(String action, String target) {
        if (group.targets().stream().noneMatch(t -> t.name().equals(target))) {
            throw new InvalidEndpointRequestException("no target named '" + target + "'", "Unknown target");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("action", action);
        result.put("target", target);
        switch (action) {
            case "reset" -> {
                group.resetHealth(target);
                result.put("done", true);
            }
            case "probe" -> result.put("answered", group.probe(target));
            default -> throw new InvalidEndpointRequestException(
                    "action must be 'reset' or 'probe'", "Unknown action");
        }
        FailoverSnapshot.of(group).targets().stream().filter(t -> t.name().equals(target)).findFirst()
                .ifPresent(t -> result.put("state", t.state()));
        return result;
    }
}
