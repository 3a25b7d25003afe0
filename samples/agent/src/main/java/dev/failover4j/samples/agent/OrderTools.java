package dev.failover4j.samples.agent;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's tools: an order lookup and a refund (canned data). Counts its calls. Parameters are named
 * with {@code @P(name = ...)} so the model sees {@code orderId}, not {@code arg0}, without {@code -parameters}.
 */
public final class OrderTools {

    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger refunds = new AtomicInteger();

    @Tool("Looks up an order by id and returns its status, amount in EUR and delivery date")
    public String lookupOrder(@P(name = "orderId", value = "the order id, e.g. A-1001") String orderId) {
        lookups.incrementAndGet();
        return "order " + orderId + ": status DELIVERED on 2026-11-02, amount 129.00 EUR, desk arrived with a cracked leg";
    }

    @Tool("Refunds an amount in EUR for an order and returns the refund id")
    public String refund(@P(name = "orderId", value = "the order id") String orderId,
            @P(name = "amount", value = "the amount in EUR") double amount) {
        int number = refunds.incrementAndGet();
        return String.format(Locale.ROOT, "refund R-%d: %.2f EUR for order %s, back on the card in 5 business days",
                number, amount, orderId);
    }

    public int lookups() {
        return lookups.get();
    }

    public int refunds() {
        return refunds.get();
    }
}
