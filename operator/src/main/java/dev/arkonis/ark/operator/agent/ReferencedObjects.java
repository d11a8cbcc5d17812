package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkSettings;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.operator.TeamMembership;
import dev.arkonis.ark.api.SettingsRef;
import dev.arkonis.ark.llm.ModelSettings;
import dev.arkonis.ark.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Secrets and ConfigMaps an agent's reconcile reads, each cached no wider than it must be: the Secrets ark writes
 * next to agents by their label, the organisation's API-key Secret by its name (a field selector, which RBAC can
 * confine to that one name), and what a role refers to by name, as fingerprints only ({@link ReferencedData}). No
 * informer sees any other Secret or ConfigMap of the cluster.
 */
final class ReferencedObjects {
    /** Secrets ark writes next to agents (the API-key copy; per-agent credentials), by name of their informer. */
    static final String OWNED_SECRETS = "ark-secrets";
    static final String API_KEYS_SOURCE = "api-keys-source";
    /** The namespaces' ArkSettings, which agents list in settingsRefs. */
    static final String SETTINGS = "settings";
    /** The namespaces' ArkTeams: a standalone agent named like one would reach its roles' keys. */
    static final String TEAMS = "teams";
    /** Ours, except webhook tokens: the ArkEvent controller watches those. */
    static final String OWNED_SELECTOR = Ark.LABEL_MANAGED_BY + "=" + Ark.MANAGED_BY + ",!" + Ark.LABEL_EVENT_TOKEN;
    private static final String AGENT_KIND = HasMetadata.getKind(ArkAgent.class);

    private final IndexerResourceCache<ArkAgent> agents;
    private final List<EventSource<?, ArkAgent>> sources = new ArrayList<>();

    ReferencedObjects(OperatorConfig config, EventSourceContext<ArkAgent> context) {
        this.agents = context.getPrimaryCache();
        sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, ArkAgent.class)
                .withName(OWNED_SECRETS)
                .withNamespacesInheritedFromController()
                .withLabelSelector(OWNED_SELECTOR)
                .withSecondaryToPrimaryMapper(this::agentsUsingOwned)
                .build(), context));
        config.apiKeysSecret().ifPresent(name -> sources.add(new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Secret.class, ArkAgent.class)
                        .withName(API_KEYS_SOURCE)
                        // the operator namespace need not be a watched one
                        .withNamespaces(Set.of(config.operatorNamespace()))
                        .withFieldSelector(new FieldSelector(new FieldSelector.Field("metadata.name", name)))
                        .withSecondaryToPrimaryMapper(s -> agents.list().map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                        .build(), context)));
        sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(ArkSettings.class, ArkAgent.class)
                .withName(SETTINGS)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(this::agentsListing)
                .build(), context));
        sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(ArkTeam.class, ArkAgent.class)
                .withName(TEAMS)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper((ArkTeam team) -> Set.of(ResourceID.fromResource(team)))
                .withPrimaryToSecondaryMapper((ArkAgent agent) -> Set.of(ResourceID.fromResource(agent)))
                .build(), context));
        sources.add(new ReferencedData(context.getClient(), agents, config.referenceRecheck()));
    }

    List<EventSource<?, ArkAgent>> sources() {
        return List.copyOf(sources);
    }

    /** A Secret ark wrote into an agent namespace, as its informer has it. */
    static Optional<Secret> owned(Context<ArkAgent> context, String namespace, String name) {
        return informer(context, OWNED_SECRETS).get(new ResourceID(name, namespace));
    }

    /** The organisation's API-key Secret, if API_KEYS_SECRET names one and it exists. */
    static Optional<Secret> apiKeySource(Context<ArkAgent> context, OperatorConfig config) {
        return config.apiKeysSecret().flatMap(name -> informer(context, API_KEYS_SOURCE)
                .get(new ResourceID(name, config.operatorNamespace())));
    }

    /** Fingerprints of what the agent's pods read by reference. */
    static ReferencedData.Values data(Context<ArkAgent> context) {
        return context.getSecondaryResource(ReferencedData.Values.class)
                .orElse(new ReferencedData.Values(java.util.Map.of()));
    }

    /**
     * Why an agent no team owns cannot have its queue: a team of its namespace has its name, and its keys
     * ({@code <namespace>.<agent>.*}) are that team's roles' queues ({@code <namespace>.<team>.<role>}).
     */
    @SuppressWarnings("unchecked")
    static Optional<Problem> nameClash(Context<ArkAgent> context, ArkAgent agent) {
        if (TeamMembership.of(agent).isPresent()) {
            return Optional.empty();
        }
        InformerEventSource<ArkTeam, ArkAgent> teams = (InformerEventSource<ArkTeam, ArkAgent>)
                context.eventSourceRetriever().getEventSourceFor(ArkTeam.class, TEAMS);
        String name = agent.getMetadata().getName();
        return teams.get(ResourceID.fromResource(agent)).map(team -> new Problem("metadata.name", "team " + name
                + " of this namespace has this name: an agent no team owns has the queue " + TeamMembership.queueOf(agent)
                + ", whose keys hold that team's roles' queues; rename the agent (or the team)"));
    }

    /**
     * What the ArkSettings the agent lists put into its model calls, merged in order; one that does not exist (yet)
     * adds nothing, and its creation is an event for the agent.
     */
    @SuppressWarnings("unchecked")
    static ModelSettings settings(Context<ArkAgent> context, ArkAgent agent) {
        List<SettingsRef> refs = agent.getSpec().settingsRefList();
        if (refs.isEmpty()) {
            return ModelSettings.NONE;
        }
        InformerEventSource<ArkSettings, ArkAgent> informer = (InformerEventSource<ArkSettings, ArkAgent>)
                context.eventSourceRetriever().getEventSourceFor(ArkSettings.class, SETTINGS);
        String namespace = agent.getMetadata().getNamespace();
        return ModelSettings.merge(refs.stream().filter(Objects::nonNull)
                .map(ref -> informer.get(new ResourceID(ref.name(), namespace)).map(ArkSettings::getSpec).orElse(null))
                .filter(Objects::nonNull).toList());
    }

    @SuppressWarnings("unchecked")
    private static InformerEventSource<Secret, ArkAgent> informer(Context<ArkAgent> context, String name) {
        return (InformerEventSource<Secret, ArkAgent>) context.eventSourceRetriever().getEventSourceFor(Secret.class, name);
    }

    private Set<ResourceID> agentsListing(ArkSettings settings) {
        String namespace = settings.getMetadata().getNamespace();
        String name = settings.getMetadata().getName();
        return agents.list(a -> namespace.equals(a.getMetadata().getNamespace()) && a.getSpec() != null
                        && a.getSpec().settingsRefList().stream().anyMatch(r -> r != null && name.equals(r.name())))
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    /** The API-key copy serves every agent of its namespace; anything else of ours, the agents that own it. */
    private Set<ResourceID> agentsUsingOwned(Secret secret) {
        String namespace = secret.getMetadata().getNamespace();
        if (ApiKeySecretDependent.NAME.equals(secret.getMetadata().getName())) {
            return agents.list(a -> namespace.equals(a.getMetadata().getNamespace()))
                    .map(ResourceID::fromResource).collect(Collectors.toSet());
        }
        return secret.getMetadata().getOwnerReferences().stream().filter(o -> AGENT_KIND.equals(o.getKind()))
                .map(o -> new ResourceID(o.getName(), namespace)).collect(Collectors.toSet());
    }
}
