package dev.failover4j;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The metadata of a response served by a failover model: the serving target's own metadata
 * (id, model name, token usage, finish reason) plus which target served it and what the call
 * went through on the way.
 *
 * <p>Read it from any {@code ChatResponse} (also inside AI Services, e.g. from
 * {@code Result.finalResponse()} or a {@code ChatModelListener}):
 * <pre>{@code
 * if (response.metadata() instanceof FailoverChatResponseMetadata failover) {
 *     log.info("served by {}", failover.targetName());
 * }
 * }</pre>
 */
public class FailoverChatResponseMetadata extends ChatResponseMetadata {

    private final String targetName;
    private final List<FailoverAttempt> attempts;
    private final ChatResponseMetadata targetMetadata;
    private final List<String> servedBy;
    private final BigDecimal cost;
    private final boolean hedged;

    protected FailoverChatResponseMetadata(Builder builder) {
        super(builder);
        this.targetName = Objects.requireNonNull(builder.targetName, "targetName");
        this.servedBy = builder.servedBy == null ? List.of(targetName) : List.copyOf(builder.servedBy);
        this.attempts = builder.attempts == null ? List.of() : List.copyOf(builder.attempts);
        this.targetMetadata = builder.targetMetadata;
        this.cost = builder.cost;
        this.hedged = builder.hedged;
    }

    /** @return true when a hedged attempt (started beside a slow first one, see {@link Hedging}) served the response */
    public boolean hedged() {
        return hedged;
    }

    /**
     * @return what the response's token usage cost at the serving target's {@link TokenPrice} (for a continued
     *         stream: the summed usage at the finishing target's price), or null when it has no price or the
     *         provider reported no usage
     */
    public BigDecimal cost() {
        return cost;
    }

    /** @return the name of the target that served the response */
    public String targetName() {
        return targetName;
    }

    /**
     * @return the targets whose output makes up the response, in order: one for a sync call, more
     *         when a broken stream was continued by another target
     */
    public List<String> servedBy() {
        return servedBy;
    }

    /** @return every attempt and skip of the call, the successful attempt last */
    public List<FailoverAttempt> attempts() {
        return attempts;
    }

    /** @return true when the response did not come from the first attempt on the first target */
    public boolean failedOver() {
        return attempts.size() > 1;
    }

    /** @return the serving target's own metadata (e.g. {@code OpenAiChatResponseMetadata}), or null */
    public ChatResponseMetadata targetMetadata() {
        return targetMetadata;
    }

    @Override
    public Builder toBuilder() {
        Builder builder = new Builder().targetName(targetName).attempts(attempts).targetMetadata(targetMetadata)
                .servedBy(servedBy).cost(cost).hedged(hedged);
        toBuilder(builder);
        return builder;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof FailoverChatResponseMetadata that) || !super.equals(o)) return false;
        return targetName.equals(that.targetName)
                && servedBy.equals(that.servedBy)
                && attempts.equals(that.attempts)
                && Objects.equals(targetMetadata, that.targetMetadata)
                && Objects.equals(cost, that.cost)
                && hedged == that.hedged;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), targetName, servedBy, attempts, targetMetadata, cost, hedged);
    }

    @Override
    public String toString() {
        return "FailoverChatResponseMetadata{targetName=" + targetName + ", servedBy=" + servedBy + ", modelName=" + modelName()
                + ", tokenUsage=" + tokenUsage() + (cost == null ? "" : ", cost=" + cost) + (hedged ? ", hedged" : "") + ", finishReason=" + finishReason()
                + ", attempts=" + attempts + "}";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link FailoverChatResponseMetadata}. Not thread-safe. */
    public static class Builder extends ChatResponseMetadata.Builder<Builder> {

        private String targetName;
        private List<FailoverAttempt> attempts;
        private ChatResponseMetadata targetMetadata;
        private List<String> servedBy;
        private BigDecimal cost;
        private boolean hedged;

        /** Whether a hedged attempt served the response; default false. */
        public Builder hedged(boolean hedged) {
            this.hedged = hedged;
            return this;
        }

        /** The response's cost at the serving target's price; default none. */
        public Builder cost(BigDecimal cost) {
            this.cost = cost;
            return this;
        }

        /** Default: just {@link #targetName(String)}. */
        public Builder servedBy(List<String> servedBy) {
            this.servedBy = servedBy;
            return this;
        }

        public Builder targetName(String targetName) {
            this.targetName = targetName;
            return this;
        }

        public Builder attempts(List<FailoverAttempt> attempts) {
            this.attempts = attempts;
            return this;
        }

        /** Copies id, model name, token usage and finish reason from the target's metadata and keeps it. */
        public Builder targetMetadata(ChatResponseMetadata targetMetadata) {
            this.targetMetadata = targetMetadata;
            if (targetMetadata != null) {
                id(targetMetadata.id())
                        .modelName(targetMetadata.modelName())
                        .tokenUsage(targetMetadata.tokenUsage())
                        .finishReason(targetMetadata.finishReason());
            }
            return this;
        }

        @Override
        public FailoverChatResponseMetadata build() {
            return new FailoverChatResponseMetadata(this);
        }
    }
}
