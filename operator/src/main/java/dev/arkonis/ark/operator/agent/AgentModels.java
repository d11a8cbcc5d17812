package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.llm.models.ModelChains;
import dev.arkonis.ark.llm.models.SharedModelKeys;
import dev.arkonis.ark.operator.OperatorConfig;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;

/** An agent's chain of models, as its pods run it and its Redis user is granted: resolved once per reconcile alike. */
final class AgentModels {
    private AgentModels() {
    }

    /** The agent's models in order, from its namespace's ArkModels and the operator's table. */
    static ModelChains.Chain chainOf(OperatorConfig config, ArkAgent agent, Context<ArkAgent> context) {
        return new ModelChains(config.modelCatalog()).resolve(agent.getSpec().model(), agent.getSpec().provider(),
                ReferencedObjects.models(context, agent.getMetadata().getNamespace()));
    }

    /** The shared rate-limit and circuit keys of the agent's models, which its Redis user may touch. */
    static List<String> sharedKeyPatterns(OperatorConfig config, ArkAgent agent, Context<ArkAgent> context) {
        if (agent.getSpec() == null || agent.getSpec().model() == null) {
            return List.of();
        }
        return SharedModelKeys.aclPatterns(agent.getMetadata().getNamespace(), chainOf(config, agent, context).models());
    }
}
