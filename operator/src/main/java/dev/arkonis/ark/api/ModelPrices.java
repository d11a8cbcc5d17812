package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import java.math.BigDecimal;

/**
 * What a model costs, in US dollars per million tokens. Input read from the prompt cache and input written to it are
 * priced apart; each defaults to the input price.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelPrices(
        @JsonPropertyDescription("US dollars per million input tokens.") @Min(0) BigDecimal input,
        @JsonPropertyDescription("US dollars per million output tokens.") @Min(0) BigDecimal output,
        @JsonPropertyDescription("US dollars per million input tokens read from the prompt cache; default: input.")
        @Min(0) BigDecimal cachedInput,
        @JsonPropertyDescription("US dollars per million input tokens written to the prompt cache; default: input.")
        @Min(0) BigDecimal cacheWrite) {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /** Whether anything is priced: a table entry without prices costs nothing we know of. */
    @JsonIgnore
    public boolean isKnown() {
        return input != null || output != null;
    }

    /** The cost of these tokens, exact; cached and cache-write input at their own prices, the rest at input's. */
    public BigDecimal costOf(TokenUsage usage) {
        BigDecimal in = orZero(input);
        long cached = Math.max(0, usage.cachedInputTokens());
        long written = Math.max(0, usage.cacheWriteTokens());
        long plain = Math.max(0, usage.inputTokens() - cached - written);
        return BigDecimal.valueOf(plain).multiply(in)
                .add(BigDecimal.valueOf(cached).multiply(cachedInput == null ? in : cachedInput))
                .add(BigDecimal.valueOf(written).multiply(cacheWrite == null ? in : cacheWrite))
                .add(BigDecimal.valueOf(usage.outputTokens()).multiply(orZero(output)))
                .divide(MILLION);
    }

    /** The usage with its cost, when this table prices anything; else as it was. */
    public TokenUsage price(TokenUsage usage) {
        return isKnown() ? usage.withCost(costOf(usage)) : usage;
    }

    /** These prices, each one set in {@code over} replacing ours. */
    public ModelPrices overriddenBy(ModelPrices over) {
        if (over == null) {
            return this;
        }
        return new ModelPrices(over.input != null ? over.input : input, over.output != null ? over.output : output,
                over.cachedInput != null ? over.cachedInput : cachedInput,
                over.cacheWrite != null ? over.cacheWrite : cacheWrite);
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
