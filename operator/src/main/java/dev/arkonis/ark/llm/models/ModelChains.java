package dev.arkonis.ark.llm.models;

import dev.arkonis.ark.api.ArkModelSpec;
import dev.arkonis.ark.api.ModelPrices;
import dev.arkonis.ark.api.Provider;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves a role's model into its chain: the model itself, then its ArkModel's {@code fallback} list in order. A name
 * that an ArkModel of the namespace has is that ArkModel (its fields over the table's for its model); any other name
 * is a plain model of the role's provider (fallbacks: of the provider their name implies), priced from the table.
 */
public final class ModelChains {
    private final ModelCatalog catalog;

    public ModelChains(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * A role's chain.
     *
     * @param keySecrets for each model of the chain, the Secret its own keys come from, or null for the agent's keys
     * @param problems   what was left out and why (an ArkModel that would send the agent's key elsewhere)
     */
    public record Chain(List<ModelProfile> models, List<String> keySecrets, List<String> problems) {
        public Chain {
            models = List.copyOf(models);
            keySecrets = java.util.Collections.unmodifiableList(new ArrayList<>(keySecrets));
            problems = List.copyOf(problems);
        }

        public ModelProfile first() {
            return models.get(0);
        }
    }

    /**
     * @param model        the role's model: an ArkModel's name or a model name
     * @param roleProvider the role's provider, or null to detect it from the model name
     * @param arkModels    the ArkModels of the role's namespace, by name
     */
    public Chain resolve(String model, Provider roleProvider, Map<String, ArkModelSpec> arkModels) {
        List<ModelProfile> models = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ArkModelSpec first = arkModels.get(model);
        if (first == null) {
            models.add(ModelProfile.plain(model, roleProvider != null ? roleProvider : Provider.detect(model), catalog));
            secrets.add(null);
            return new Chain(models, secrets, problems);
        }
        Set<String> seen = new LinkedHashSet<>();
        seen.add(model);
        add(model, first, models, secrets, problems);
        for (String next : first.fallbackList()) {
            if (next == null || next.isBlank() || !seen.add(next)) {
                continue;
            }
            ArkModelSpec spec = arkModels.get(next);
            if (spec == null) {
                models.add(ModelProfile.plain(next, Provider.detect(next), catalog));
                secrets.add(null);
            } else {
                add(next, spec, models, secrets, problems);
            }
        }
        return new Chain(models, secrets, problems);
    }

    private void add(String name, ArkModelSpec spec, List<ModelProfile> models, List<String> secrets,
                     List<String> problems) {
        String model = spec.model() == null || spec.model().isBlank() ? name : spec.model();
        ModelCatalog.Entry entry = catalog.entry(model);
        ModelPrices prices = entry.prices() == null ? spec.prices()
                : entry.prices().overriddenBy(spec.prices());
        boolean ownKeys = spec.apiKeys() != null && spec.apiKeys().secretRef() != null;
        String endpoint = spec.endpoint();
        if (endpoint != null && !ownKeys) {
            // the API server refuses this (a CEL rule); an object from before the rule still never redirects a key
            problems.add("ArkModel " + name + ": endpoint left out: an endpoint needs apiKeys.secretRef");
            endpoint = null;
        }
        models.add(new ModelProfile(name, spec.provider() == null ? Provider.detect(model) : spec.provider(), model,
                endpoint, spec.apiVersion(), ownKeys, spec.rateLimits(), entry.rateLimits(), prices,
                spec.contextWindow() != null ? spec.contextWindow() : entry.contextWindow()));
        secrets.add(ownKeys ? spec.apiKeys().secretRef().name() : null);
    }
}
