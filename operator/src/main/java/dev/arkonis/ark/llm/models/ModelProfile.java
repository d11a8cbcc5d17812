package dev.arkonis.ark.llm.models;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.arkonis.ark.api.ModelPrices;
import dev.arkonis.ark.api.Provider;
import dev.arkonis.ark.api.RateLimits;

/**
 * One model of a role's chain, resolved: what the agent calls and how, what it shares with other agents, and what it
 * costs. It travels to agent pods as JSON (AGENT_MODELS) and holds no key.
 *
 * @param name              what names it: the ArkModel's name, else the model's; the key of its shared bucket and
 *                          circuit
 * @param model             the model's name at the provider (for azure, the deployment)
 * @param endpoint          the provider's API root, or null for the one the agent's provider variables give
 * @param ownKeys           whether its keys are its own ({@code ARK_MODEL_<index>_*} variables) rather than the agent's
 * @param rateLimits        the quota every agent of the namespace shares (its ArkModel's), or null
 * @param clusterRateLimits the quota every agent of the cluster shares (the operator's table), or null
 * @param prices            null when unknown
 * @param contextWindow     tokens it reads at most, or null when unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelProfile(String name, Provider provider, String model, String endpoint, String apiVersion,
                           boolean ownKeys, RateLimits rateLimits, RateLimits clusterRateLimits, ModelPrices prices,
                           Long contextWindow) {

    /** A plain model of this provider, priced and sized from the table when it knows it. */
    public static ModelProfile plain(String model, Provider provider, ModelCatalog catalog) {
        ModelCatalog.Entry entry = catalog.entry(model);
        return new ModelProfile(model, provider, model, null, null, false, null, entry.rateLimits(), entry.prices(),
                entry.contextWindow());
    }

    /** Whether any agent besides this one draws from a bucket of this model. */
    @JsonIgnore
    public boolean isRateLimited() {
        return (rateLimits != null && rateLimits.isSet()) || (clusterRateLimits != null && clusterRateLimits.isSet());
    }

    /** How the model reads in messages: its name, and what it is at the provider when that differs. */
    public String describe() {
        return name.equals(model) ? name : name + " (" + provider.wireName() + " " + model + ")";
    }
}
