package dev.arkonis.ark.llm.models;

import dev.arkonis.ark.queue.ModelKeys;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which shared Redis keys the models of a chain use, in one place for the agent that uses them and the operator that
 * grants them (an agent's ACL user may touch exactly these): each model's bucket and circuit of its namespace, named
 * by the model's name in the chain, and the cluster's bucket of a model whose rate limit the operator's table sets.
 */
public final class SharedModelKeys {
    private SharedModelKeys() {
    }

    /** The rate limit and circuit the agents of {@code namespace} share for this model. */
    public static ModelKeys ofNamespace(String namespace, ModelProfile model) {
        return ModelKeys.namespace(namespace, model.name());
    }

    /** The rate limit every agent of the cluster shares, when the operator's table sets one for this model. */
    public static Optional<ModelKeys> ofCluster(ModelProfile model) {
        return model.clusterRateLimits() != null && model.clusterRateLimits().isSet()
                ? Optional.of(ModelKeys.cluster(model.model())) : Optional.empty();
    }

    /** The ACL key patterns of an agent of {@code namespace} whose chain is {@code chain}: its models' keys only. */
    public static List<String> aclPatterns(String namespace, List<ModelProfile> chain) {
        Set<String> patterns = new LinkedHashSet<>();
        for (ModelProfile model : chain) {
            patterns.add(ofNamespace(namespace, model).pattern());
            ofCluster(model).ifPresent(keys -> patterns.add(keys.pattern()));
        }
        return new ArrayList<>(patterns);
    }
}
