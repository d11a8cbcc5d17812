package dev.arkonis.ark.queue;

import dev.arkonis.ark.api.Names;

/**
 * The Redis keys of one role. Every key starts with the role's task stream key, so an ACL
 * pattern {@code <key>*} confines an agent to its own role.
 */
public record RoleKeys(String stream) {
    /** The consumer group all agents of a role join. */
    public static final String GROUP = "ark-agents";

    public RoleKeys {
        if (stream == null || stream.isBlank()) {
            throw new IllegalArgumentException("stream key must not be blank");
        }
    }

    /** Dead letters: tasks delivered too often, or malformed. */
    public String dead() {
        return stream + ".dead";
    }

    /** Conventional result stream for dispatchers that want one per role. */
    public String results() {
        return Names.results(stream);
    }

    /** Hash of per-minute token buckets. */
    public String tokens() {
        return stream + ".tokens";
    }

    /** Sorted set of the minutes present in {@link #tokens()}, for pruning without scans. */
    public String tokenMinutes() {
        return stream + ".tokens.minutes";
    }

    /** Where the operator puts the answer to call {@code call} of the delegate tool while task {@code taskId} runs. */
    public String reply(String taskId, int call) {
        return stream + ".replies." + taskId + "." + call;
    }

    /** Liveness key an agent refreshes while it runs. */
    public String heartbeat(String consumer) {
        return stream + ".agents." + consumer;
    }
}
