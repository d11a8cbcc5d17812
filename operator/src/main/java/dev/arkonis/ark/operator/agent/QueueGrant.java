package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.operator.StatusConditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;

/**
 * The Redis credentials an agent's pods get, and how far they reach.
 *
 * @param kind     whose credentials they are
 * @param username the Redis user ("" for the default user)
 * @param password its password ("" for none)
 * @param message  what the agent's {@code QueueIsolated} condition says, in plain words (never a credential)
 */
record QueueGrant(Kind kind, String username, String password, String message) {
    enum Kind {
        /** A user of the agent's own, allowed its own keys only. */
        OWN_USER,
        /** The user of its own could not be set yet (Redis unreachable): the pods wait for it. */
        PENDING,
        /** Redis does not let the operator manage ACL users: the pods use the operator's shared credential. */
        SHARED,
        /** The agent is refused: no user of its own, and credentials that open nothing. */
        REFUSED,
        /** The operator runs without a queue (tests): credentials of its own, set nowhere. */
        NO_QUEUE
    }

    static final String CONTEXT_KEY = "queue-grant";

    @Override
    public String toString() {
        return "QueueGrant[" + kind + ", user " + username + "]";
    }

    /** The agent's conditions with {@code QueueIsolated} set as this grant says (left out without a queue). */
    List<Condition> condition(List<Condition> conditions, Long generation, Instant now) {
        return switch (kind) {
            case OWN_USER -> StatusConditions.set(conditions, Ark.CONDITION_QUEUE_ISOLATED, true, "OwnRedisUser",
                    message, generation, now);
            case PENDING -> StatusConditions.set(conditions, Ark.CONDITION_QUEUE_ISOLATED, false, "RedisUnavailable",
                    message, generation, now);
            case SHARED -> StatusConditions.set(conditions, Ark.CONDITION_QUEUE_ISOLATED, false, "SharedCredential",
                    message, generation, now);
            case REFUSED -> StatusConditions.set(conditions, Ark.CONDITION_QUEUE_ISOLATED, true, "NoRedisUser",
                    message, generation, now);
            case NO_QUEUE -> conditions;
        };
    }
}
