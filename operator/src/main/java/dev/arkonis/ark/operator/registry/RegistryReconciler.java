package dev.arkonis.ark.operator.registry;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRegistry;
import dev.arkonis.ark.api.ArkRegistrySpec;
import dev.arkonis.ark.api.ArkRegistryStatus;
import dev.arkonis.ark.api.ArkRegistryStatus.IndexedAgent;
import dev.arkonis.ark.api.ArkRegistryStatus.IndexedCapability;
import dev.arkonis.ark.api.Capability;
import dev.arkonis.ark.flow.NamespaceAgent;
import dev.arkonis.ark.flow.RegistryIndex;
import dev.arkonis.ark.operator.ReconcileErrors;
import dev.arkonis.ark.operator.StatusConditions;
import dev.arkonis.ark.operator.StatusRecorder;
import dev.arkonis.ark.operator.TeamMembership;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * ArkRegistry: its status lists the agents of its namespace it indexes (those that declare capabilities, as
 * {@link RegistryIndex} reads them for runs), each with its team, queue and ready pods, and every capability with the
 * agents that offer it; a change of any agent of the namespace updates it. Routing and lookups read the agents
 * themselves, not this status: it is for people ({@code kubectl get arkregistries}, {@code describe}).
 */
@ControllerConfiguration(name = RegistryReconciler.NAME)
public final class RegistryReconciler implements Reconciler<ArkRegistry> {
    public static final String NAME = "arkregistry";
    private static final String AGENTS = "registry-agents";

    private final StatusRecorder<ArkRegistry, ArkRegistryStatus> statuses;
    private final Clock clock;

    public RegistryReconciler(StatusRecorder<ArkRegistry, ArkRegistryStatus> statuses, Clock clock) {
        this.statuses = statuses;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, ArkRegistry>> prepareEventSources(EventSourceContext<ArkRegistry> context) {
        // every registry of the agent's namespace indexes it (or stops to)
        return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(ArkAgent.class, ArkRegistry.class)
                .withName(AGENTS)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper((ArkAgent agent) -> context.getPrimaryCache()
                        .list(agent.getMetadata().getNamespace()).map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((ArkRegistry registry) -> Set.<ResourceID>of())
                .build(), context));
    }

    @Override
    public UpdateControl<ArkRegistry> reconcile(ArkRegistry registry, Context<ArkRegistry> context) {
        String namespace = registry.getMetadata().getNamespace();
        @SuppressWarnings("unchecked")
        InformerEventSource<ArkAgent, ArkRegistry> agents = (InformerEventSource<ArkAgent, ArkRegistry>)
                context.eventSourceRetriever().getEventSourceFor(ArkAgent.class, AGENTS);
        List<ArkAgent> all = agents.list(namespace).toList();
        statuses.record(registry, status(registry, all, clock.instant()), context);
        return UpdateControl.noUpdate();
    }

    @Override
    public ErrorStatusUpdateControl<ArkRegistry> updateErrorStatus(ArkRegistry registry, Context<ArkRegistry> context,
                                                                    Exception e) {
        return statuses.failed(registry, context, e);
    }

    /** The registry's status over the namespace's agents. */
    static ArkRegistryStatus status(ArkRegistry registry, List<ArkAgent> agents, Instant now) {
        Map<String, ArkAgent> byName = agents.stream().collect(Collectors.toMap(a -> a.getMetadata().getName(), a -> a,
                (a, b) -> a));
        List<NamespaceAgent> indexed = RegistryIndex.indexed(agents.stream().filter(a -> a.getSpec() != null)
                .map(a -> new NamespaceAgent(a.getMetadata().getName(),
                        TeamMembership.of(a).map(TeamMembership::team).orElse(null),
                        TeamMembership.of(a).map(TeamMembership::role).orElse(null), a.getSpec()))
                .toList());
        List<IndexedAgent> listed = new ArrayList<>();
        Map<String, IndexedCapability> capabilities = new TreeMap<>();
        for (NamespaceAgent agent : indexed) {
            ArkAgent object = byName.get(agent.name());
            Integer ready = object.getStatus() == null ? null : object.getStatus().readyReplicas();
            List<String> ids = agent.spec().capabilityList().stream().map(Capability::id).filter(Objects::nonNull)
                    .distinct().toList();
            listed.add(new IndexedAgent(agent.name(), agent.team(), TeamMembership.queueOf(object), ids,
                    ready == null ? 0 : ready));
            for (Capability c : agent.spec().capabilityList()) {
                if (c.id() == null) {
                    continue;
                }
                IndexedCapability known = capabilities.get(c.id());
                List<String> holders = new ArrayList<>(known == null ? List.of() : known.agents());
                if (!holders.contains(agent.name())) {
                    holders.add(agent.name());
                }
                capabilities.put(c.id(), new IndexedCapability(c.id(),
                        known != null && known.description() != null ? known.description() : c.description(), holders));
            }
        }
        ArkRegistrySpec spec = registry.getSpec();
        boolean supported = spec == null || ArkRegistrySpec.NAMESPACE_SCOPED.equals(spec.effectiveScope());
        Long generation = registry.getMetadata().getGeneration();
        String message = supported ? listed.size() + " agent(s) with " + capabilities.size() + " capabilit"
                + (capabilities.size() == 1 ? "y" : "ies") + " in namespace " + registry.getMetadata().getNamespace()
                : "scope " + spec.effectiveScope() + " is not supported: only namespace-scoped (the ArkAgents of its own"
                + " namespace); it indexes those";
        ArkRegistryStatus old = registry.getStatus();
        return ArkRegistryStatus.builder().agents(listed).capabilities(List.copyOf(capabilities.values()))
                .agentCount(listed.size()).capabilityCount(capabilities.size())
                .conditions(ReconcileErrors.succeeded(StatusConditions.set(old == null ? null : old.conditions(),
                        Ark.CONDITION_READY, supported, supported ? "Indexed" : "UnsupportedScope", message, generation,
                        now), generation, now))
                .observedGeneration(generation).build();
    }
}
