package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ConfigMaps and Secrets agents read (prompt refs, MCP header secrets, the API-key Secret and its copies, their
 * Redis credentials), cached by informers whose events reconcile exactly the agents that use the changed object.
 */
final class ReferencedObjects {
    /** Names of the two informers, so dependents find them in a reconcile's context. */
    static final String SECRETS = "referenced-secrets";
    static final String CONFIG_MAPS = "referenced-configmaps";
    private static final String CONFIG_MAP_INDEX = "configMapRefs";
    private static final String SECRET_INDEX = "secretRefs";

    private final OperatorConfig config;
    private final IndexerResourceCache<ArkAgent> agents;
    private final InformerEventSource<Secret, ArkAgent> secrets;
    private final InformerEventSource<ConfigMap, ArkAgent> configMaps;

    ReferencedObjects(OperatorConfig config, EventSourceContext<ArkAgent> context) {
        this.config = config;
        this.agents = context.getPrimaryCache();
        agents.addIndexer(CONFIG_MAP_INDEX, agent -> keys(agent, DataRef.Kind.CONFIG_MAP));
        agents.addIndexer(SECRET_INDEX, agent -> keys(agent, DataRef.Kind.SECRET));

        var secretConfig = InformerEventSourceConfiguration.from(Secret.class, ArkAgent.class)
                .withName(SECRETS)
                .withSecondaryToPrimaryMapper(this::agentsUsingSecret);
        if (config.watchesAllNamespaces()) {
            secretConfig.withWatchAllNamespaces();
        } else {
            // the API-key source lives in the operator namespace, which need not be a watched one
            Set<String> namespaces = new HashSet<>(config.watchNamespaces());
            namespaces.add(config.operatorNamespace());
            secretConfig.withNamespaces(namespaces);
        }
        this.secrets = new InformerEventSource<>(secretConfig.build(), context);
        this.configMaps = new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, ArkAgent.class)
                .withName(CONFIG_MAPS)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(cm -> byIndex(CONFIG_MAP_INDEX, cm))
                .build(), context);
    }

    InformerEventSource<Secret, ArkAgent> secrets() {
        return secrets;
    }

    InformerEventSource<ConfigMap, ArkAgent> configMaps() {
        return configMaps;
    }

    Optional<Secret> secret(String namespace, String name) {
        return secrets.get(new ResourceID(name, namespace));
    }

    Optional<ConfigMap> configMap(String namespace, String name) {
        return configMaps.get(new ResourceID(name, namespace));
    }

    /** The cached ConfigMaps and Secrets, as seen from a reconcile of an agent. */
    static Lookup in(Context<ArkAgent> context) {
        @SuppressWarnings("unchecked")
        InformerEventSource<Secret, ArkAgent> secrets = (InformerEventSource<Secret, ArkAgent>)
                context.eventSourceRetriever().getEventSourceFor(Secret.class, SECRETS);
        @SuppressWarnings("unchecked")
        InformerEventSource<ConfigMap, ArkAgent> configMaps = (InformerEventSource<ConfigMap, ArkAgent>)
                context.eventSourceRetriever().getEventSourceFor(ConfigMap.class, CONFIG_MAPS);
        return new Lookup(secrets, configMaps);
    }

    /** Reads of the two caches by namespace and name. */
    record Lookup(InformerEventSource<Secret, ArkAgent> secrets, InformerEventSource<ConfigMap, ArkAgent> configMaps) {
        Optional<Secret> secret(String namespace, String name) {
            return secrets.get(new ResourceID(name, namespace));
        }

        Optional<ConfigMap> configMap(String namespace, String name) {
            return configMaps.get(new ResourceID(name, namespace));
        }
    }

    private Set<ResourceID> agentsUsingSecret(Secret secret) {
        String namespace = secret.getMetadata().getNamespace();
        String name = secret.getMetadata().getName();
        if (namespace.equals(config.operatorNamespace()) && config.apiKeysSecret().filter(name::equals).isPresent()) {
            return agents.list().map(ResourceID::fromResource).collect(Collectors.toSet());
        }
        if (name.equals(QueueCredentialsDependent.secretName(agentLabel(secret)))) {
            // an agent's Redis credentials, changed or deleted by hand: the agent puts them right
            return Set.of(new ResourceID(agentLabel(secret), namespace));
        }
        if (ApiKeySecretDependent.NAME.equals(name)) {
            return agents.list(a -> namespace.equals(a.getMetadata().getNamespace()))
                    .map(ResourceID::fromResource).collect(Collectors.toSet());
        }
        return byIndex(SECRET_INDEX, secret);
    }

    private static String agentLabel(Secret secret) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        return labels == null ? "" : labels.getOrDefault(Ark.LABEL_AGENT, "");
    }

    private Set<ResourceID> byIndex(String index, HasMetadata object) {
        return agents.byIndex(index, object.getMetadata().getNamespace() + "/" + object.getMetadata().getName()).stream()
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    private static List<String> keys(ArkAgent agent, DataRef.Kind kind) {
        if (agent.getSpec() == null) {
            return List.of();
        }
        return DataRef.of(agent.getSpec()).stream().filter(r -> r.kind() == kind)
                .map(r -> agent.getMetadata().getNamespace() + "/" + r.name()).distinct().toList();
    }
}
