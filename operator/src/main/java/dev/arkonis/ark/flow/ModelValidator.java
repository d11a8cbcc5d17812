package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.ArkModelSpec;
import dev.arkonis.ark.api.ModelPrices;
import dev.arkonis.ark.api.Provider;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks of an ArkModel that need no cluster, the same the CRD makes the API server do, each at its field path. */
public final class ModelValidator {

    public Validation validate(String name, ArkModelSpec spec) {
        List<Problem> errors = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        if (spec.provider() == null) {
            errors.add(new Problem("spec.provider", "required (openai, anthropic, azure, gemini or mock)"));
        }
        if (spec.endpoint() != null) {
            if (spec.apiKeys() == null) {
                errors.add(new Problem("spec.endpoint", "an endpoint needs apiKeys.secretRef: without them the model "
                        + "runs with the organisation's key, which goes only to the organisation's endpoint"));
            }
            if (!spec.endpoint().matches("^https?://\\S+$")) {
                errors.add(new Problem("spec.endpoint", "expected an http(s) URL, got \"" + spec.endpoint() + "\""));
            }
        }
        if (spec.apiVersion() != null && spec.provider() != Provider.AZURE) {
            warnings.add(new Problem("spec.apiVersion", "only azure uses an api-version; ignored"));
        }
        if (spec.contextWindow() != null && spec.contextWindow() < 1) {
            errors.add(new Problem("spec.contextWindow", "must be at least 1"));
        }
        if (spec.rateLimits() != null) {
            if (spec.rateLimits().requestsPerMinute() != null && spec.rateLimits().requestsPerMinute() < 1) {
                errors.add(new Problem("spec.rateLimits.requestsPerMinute", "must be at least 1"));
            }
            if (spec.rateLimits().tokensPerMinute() != null && spec.rateLimits().tokensPerMinute() < 1) {
                errors.add(new Problem("spec.rateLimits.tokensPerMinute", "must be at least 1"));
            }
        }
        ModelPrices prices = spec.prices();
        if (prices != null) {
            negative(prices.input(), "spec.prices.input", errors);
            negative(prices.output(), "spec.prices.output", errors);
            negative(prices.cachedInput(), "spec.prices.cachedInput", errors);
            negative(prices.cacheWrite(), "spec.prices.cacheWrite", errors);
        }
        List<String> fallback = spec.fallbackList();
        if (fallback.size() > 10) {
            errors.add(new Problem("spec.fallback", "at most 10 models, got " + fallback.size()));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fallback.size(); i++) {
            String next = fallback.get(i);
            String path = "spec.fallback[" + i + "]";
            if (next == null || next.isBlank()) {
                errors.add(new Problem(path, "a model name is required"));
            } else if (next.equals(name)) {
                errors.add(new Problem(path, "a model cannot fall back to itself"));
            } else if (!seen.add(next)) {
                warnings.add(new Problem(path, "\"" + next + "\" is already in the list; tried once"));
            }
        }
        return new Validation(errors, warnings);
    }

    private static void negative(BigDecimal value, String path, List<Problem> errors) {
        if (value != null && value.signum() < 0) {
            errors.add(new Problem(path, "must be at least 0"));
        }
    }
}
