package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** A provider's quota for one model, shared by every agent that draws from the same bucket. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RateLimits(
        @JsonPropertyDescription("Calls per minute.") @Min(1) Integer requestsPerMinute,
        @JsonPropertyDescription("Tokens (input and output) per minute.") @Min(1) Long tokensPerMinute) {

    @JsonIgnore
    public boolean isSet() {
        return requestsPerMinute != null || tokensPerMinute != null;
    }
}
