package dev.arkonis.ark.local;

import dev.arkonis.ark.api.ModelPrices;
import dev.arkonis.ark.api.TokenUsage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What a run would cost, as a range, from a dry run's calls: each call's rendered prompt as input at its role's model's
 * prices; at the low end answered as briefly as the dry run's answer, at the high end with every token its
 * {@code maxTokensPerCall} allows. Retries, tool-call turns and fallbacks to other models are not in it.
 *
 * @param inputTokens  tokens sent, over all calls
 * @param outputLow    tokens answered at the low end
 * @param outputHigh   tokens answered at the high end
 * @param low          US dollars at the low end, of the calls whose prices are known; null when none is
 * @param high         US dollars at the high end, likewise
 * @param unpricedRoles roles whose model's prices are unknown (their calls are in the tokens, not in the dollars)
 */
public record CostEstimate(long inputTokens, long outputLow, long outputHigh, BigDecimal low, BigDecimal high,
                           List<String> unpricedRoles) {

    /** @param pricesOfRole a role's model's prices, or null when unknown */
    public static CostEstimate of(List<DryRun.Call> calls, Function<String, ModelPrices> pricesOfRole) {
        long input = 0;
        long outLow = 0;
        long outHigh = 0;
        BigDecimal low = null;
        BigDecimal high = null;
        Set<String> unpriced = new LinkedHashSet<>();
        for (DryRun.Call call : calls) {
            long most = Math.max(call.answerTokens(), call.maxTokensPerCall());
            input += call.inputTokens();
            outLow += call.answerTokens();
            outHigh += most;
            ModelPrices prices = pricesOfRole.apply(call.role());
            if (prices == null || !prices.isKnown()) {
                unpriced.add(call.role());
                continue;
            }
            low = add(low, prices.costOf(TokenUsage.of(call.inputTokens(), call.answerTokens())));
            high = add(high, prices.costOf(TokenUsage.of(call.inputTokens(), most)));
        }
        return new CostEstimate(input, outLow, outHigh, low, high, new ArrayList<>(unpriced));
    }

    private static BigDecimal add(BigDecimal sum, BigDecimal cost) {
        return sum == null ? cost : sum.add(cost);
    }
}
