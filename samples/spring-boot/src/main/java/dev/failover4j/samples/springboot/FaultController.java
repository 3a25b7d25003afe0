package dev.failover4j.samples.springboot;

import dev.failover4j.testkit.ChaosEndpoint;
import dev.failover4j.testkit.Fault;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /sample/faults/{target}} with {@code outage} (every request answers 500) or {@code clear}: stages an
 * outage in front of a target, for the demo and the status page. A sample's tool: a real service has no such thing.
 */
@RestController
public class FaultController {

    private final SampleEndpoints endpoints;

    public FaultController(SampleEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @PostMapping("/sample/faults/{target}")
    public Map<String, String> fault(@PathVariable("target") String target, @RequestBody String action) {
        ChaosEndpoint chaos = endpoints.chaos(target);
        switch (action.trim()) {
            case "outage" -> chaos.inject(Fault.httpStatus(500));
            case "clear" -> chaos.clearFaults();
            default -> throw new IllegalArgumentException("action must be 'outage' or 'clear'");
        }
        return Map.of("target", target, "faults", action.trim());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    public Map<String, String> badRequest(IllegalArgumentException e) {
        return Map.of("error", e.getMessage());
    }
}
