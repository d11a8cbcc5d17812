package dev.arkonis.ark.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * An accepted answer a transport keeps in the step cache: under {@code key}, for {@code maxAge}, with the run that
 * paid for it and what it cost (what a later hit saves).
 */
public record CacheWrite(String step, String role, String key, Duration maxAge, String output, TokenUsage tokens,
                         String run, Instant at) {
    /** Larger answers are not kept, so a cache bounded in entries is bounded in bytes too. */
    public static final int MAX_OUTPUT_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean fits() {
        return output.length() <= MAX_OUTPUT_BYTES && output.getBytes(StandardCharsets.UTF_8).length <= MAX_OUTPUT_BYTES;
    }

    /** The entry as every store keeps it; {@link CachedAnswer#fromJson} reads it back. */
    public String toJson() {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("output", output);
        entry.put("run", run);
        entry.put("step", step);
        entry.put("at", at.toString());
        entry.putObject("tokens").put("input", tokens.inputTokens()).put("output", tokens.outputTokens());
        return entry.toString();
    }
}
