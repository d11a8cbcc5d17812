package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRegistry;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.api.ResumeFrom;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.flow.ApprovalDecision;
import dev.arkonis.ark.flow.NamespaceAgent;
import dev.arkonis.ark.flow.RegistryIndex;
import dev.arkonis.ark.operator.StatusConditions;
import dev.arkonis.ark.operator.TeamMembership;
import dev.arkonis.ark.queue.ResultDelivery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Gathers what a run's reconcile sees besides the run: its results, its team's agents out of budget, the retry
 * annotation, how often the transport lost its data, and for a run that has not started the team it starts from.
 */
final class RunObserver {
    static final String WAITING = "waiting: ";
    /** The informer of ArkAgents the run reconciler registers. */
    static final String AGENTS = "agents";
    /** The informer of ArkRegistries the run reconciler registers. */
    static final String REGISTRIES = "registries";

    /** Where a run's agents are looked up by namespace and name. */
    @FunctionalInterface
    interface Agents {
        Optional<ArkAgent> get(ResourceID id);
    }

    private final KubernetesClient client;
    private final LongSupplier dataLosses;
    private final RunStatusMapper mapper;
    private volatile Agents agents = id -> Optional.empty();
    private volatile ResourceCache<ArkAgent> agentCache;
    private volatile ResourceCache<ArkRegistry> registryCache;

    /** @param mapper reads an earlier run's steps back from its status, whole outputs from the transport */
    RunObserver(KubernetesClient client, LongSupplier dataLosses, RunStatusMapper mapper) {
        this.client = client;
        this.dataLosses = dataLosses;
        this.mapper = mapper;
    }

    /**
     * The informer of the namespaces' agents, bound to this observer: what routing, lookups and delegation choose
     * from; and an agent a run waits on running out of budget (or back in it), or scaled to zero getting a ready pod
     * (or losing its last), changes what its waiting steps say.
     */
    InformerEventSource<ArkAgent, ArkRun> agentSource(EventSourceContext<ArkRun> context) {
        InformerEventSource<ArkAgent, ArkRun> source = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ArkAgent.class, ArkRun.class)
                        .withName(AGENTS)
                        .withNamespacesInheritedFromController()
                        .withSecondaryToPrimaryMapper((ArkAgent agent) -> unfinishedRunsUsing(agent, context))
                        .withPrimaryToSecondaryMapper((ArkRun run) -> agentsOf(run))
                        // usage changes with every result; only a budget running out or coming back matters here,
                        // and an autoscaled agent's first ready pod or its last
                        .withOnUpdateFilter((ArkAgent now, ArkAgent before) -> !waitingOnBudget(Set.of(now))
                                .equals(waitingOnBudget(Set.of(before))) || warming(now) != warming(before))
                        .build(), context);
        this.agents = source::get;
        this.agentCache = source;
        return source;
    }

    /** The informer of the namespaces' registries, bound to this observer; a change is read by the next event. */
    InformerEventSource<ArkRegistry, ArkRun> registrySource(EventSourceContext<ArkRun> context) {
        InformerEventSource<ArkRegistry, ArkRun> source = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ArkRegistry.class, ArkRun.class)
                        .withName(REGISTRIES)
                        .withNamespacesInheritedFromController()
                        .withSecondaryToPrimaryMapper((ArkRegistry registry) -> Set.<ResourceID>of())
                        .build(), context);
        this.registryCache = source;
        return source;
    }

    /** The agents as this observer's informer has them. */
    Optional<ArkAgent> agent(ResourceID id) {
        return agents.get(id);
    }

    RunObservation observe(ArkRun run, Context<ArkRun> context) {
        List<ResultDelivery> results = context.getSecondaryResource(PendingResults.class)
                .map(PendingResults::results).orElse(List.of()).stream()
                .sorted(Comparator.comparing(ResultDelivery::id, RunObserver::byEntryId))
                .toList();
        String team = run.getSpec().teamName();
        Optional<ArkTeam> startsFrom = startsFrom(run, team);
        // the roles of the team the run started from, or is about to start from
        Set<String> roles = startsFrom.map(t -> t.getSpec() == null ? Set.<String>of()
                        : t.getSpec().roleList().stream().map(TeamRole::name).collect(Collectors.toSet()))
                .orElseGet(() -> roles(run.getStatus()));
        Set<ArkAgent> seen = new HashSet<>();
        for (String role : roles) {
            agents.get(new ResourceID(Names.agent(team, role), run.getMetadata().getNamespace())).ifPresent(seen::add);
        }
        String namespace = run.getMetadata().getNamespace();
        List<ArkAgent> all = agentCache == null ? List.of() : agentCache.list(namespace).toList();
        Set<String> warming = all.stream().filter(RunObserver::warming).map(a -> a.getMetadata().getName())
                .collect(Collectors.toSet());
        return new RunObservation(results, waitingOnBudget(seen), annotation(run, Ark.ANNOTATION_RETRY),
                retrySteps(run), dataLosses.getAsLong(), startsFrom, steering(run), resumesFrom(run),
                namespaceOf(namespace, all), warming);
    }

    private RunObservation.Namespace namespaceOf(String namespace, List<ArkAgent> agents) {
        List<NamespaceAgent> seen = agents.stream().filter(a -> a.getSpec() != null)
                .map(a -> TeamMembership.of(a).map(m -> new NamespaceAgent(a.getMetadata().getName(), m.team(), m.role(),
                        a.getSpec())).orElseGet(() -> new NamespaceAgent(a.getMetadata().getName(), null, null, a.getSpec())))
                .toList();
        List<RegistryIndex.NamedRegistry> registries = registryCache == null ? List.of()
                : registryCache.list(namespace).map(r -> new RegistryIndex.NamedRegistry(r.getMetadata().getName(),
                        r.getSpec())).toList();
        return new RunObservation.Namespace(seen, registries);
    }

    /** An autoscaled agent with no ready pod (it scaled to zero, or is starting one): its tasks wait for it to warm up. */
    static boolean warming(ArkAgent agent) {
        AgentStatus status = agent.getStatus();
        return agent.getSpec() != null && agent.getSpec().autoscaling() != null && agent.getSpec().autoscaling().isEnabled()
                && (status == null || status.readyReplicas() == null || status.readyReplicas() == 0)
                && !(status != null && StatusConditions.isTrue(status.conditions(), Ark.CONDITION_BUDGET_EXCEEDED));
    }

    /** Suspend and cancel from the spec; decisions from the annotations the admission policy ark-approvals guards. */
    static RunObservation.Steering steering(ArkRun run) {
        Map<String, String> annotations = run.getMetadata().getAnnotations() == null ? Map.of()
                : run.getMetadata().getAnnotations();
        Map<String, ApprovalDecision> decisions = new HashMap<>();
        annotations.forEach((key, by) -> {
            boolean approve = key.startsWith(Ark.ANNOTATION_APPROVE_PREFIX);
            if (!approve && !key.startsWith(Ark.ANNOTATION_REJECT_PREFIX)) {
                return;
            }
            String name = key.substring((approve ? Ark.ANNOTATION_APPROVE_PREFIX : Ark.ANNOTATION_REJECT_PREFIX).length());
            String comment = annotations.get(Ark.ANNOTATION_COMMENT_PREFIX + name);
            // approved and rejected at once (only where the admission policy is off): the rejection stands
            if (approve && decisions.containsKey(name)) {
                return;
            }
            decisions.put(name, new ApprovalDecision(name, approve, by, comment, null));
        });
        return new RunObservation.Steering(run.getSpec().suspended(), run.getSpec().cancelled(), decisions);
    }

    /** For a run that has not started and resumes from another: that run, with its steps as recorded, outputs whole. */
    private Optional<EarlierRun> resumesFrom(ArkRun run) {
        RunStatus status = run.getStatus();
        ResumeFrom from = run.getSpec().resumeFrom();
        if (RunStatus.started(status) || from == null || from.run() == null || from.run().isBlank()) {
            return Optional.empty();
        }
        ArkRun earlier = client.resources(ArkRun.class).inNamespace(run.getMetadata().getNamespace())
                .withName(from.run()).get();
        if (earlier == null || earlier.getSpec() == null || earlier.getStatus() == null
                || earlier.getStatus().phase() == null) {
            return Optional.ofNullable(earlier).map(e -> new EarlierRun(e, null));
        }
        return Optional.of(new EarlierRun(earlier, mapper.toRecord(earlier, earlier.getSpec().teamName())));
    }

    /** The team a run that has not started yet starts from, as the API server has it now. */
    private Optional<ArkTeam> startsFrom(ArkRun run, String team) {
        RunStatus status = run.getStatus();
        if (RunStatus.started(status) || team == null || team.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(client.resources(ArkTeam.class).inNamespace(run.getMetadata().getNamespace())
                .withName(team).get());
    }

    /** The roles of the team a run started from, as its status recorded the team (none before it started). */
    static Set<String> roles(RunStatus status) {
        Set<String> roles = new LinkedHashSet<>();
        if (status != null && status.teamSpec() != null) {
            status.teamSpec().path("roles").forEach(role -> roles.add(role.path("name").asText()));
        }
        return roles;
    }

    /** What a Running step says while its role's agent has no budget left. */
    static Map<String, String> waitingOnBudget(Set<ArkAgent> agents) {
        Map<String, String> waiting = new HashMap<>();
        for (ArkAgent agent : agents) {
            AgentStatus status = agent.getStatus();
            Map<String, String> labels = agent.getMetadata().getLabels();
            if (status == null || labels == null || !StatusConditions.isTrue(status.conditions(), Ark.CONDITION_BUDGET_EXCEEDED)) {
                continue;
            }
            status.conditions().stream().filter(c -> Ark.CONDITION_BUDGET_EXCEEDED.equals(c.getType())).findFirst()
                    .ifPresent(c -> waiting.put(labels.get(Ark.LABEL_ROLE), WAITING + "agent " + agent.getMetadata().getName()
                            + " is scaled to 0: " + c.getMessage()
                            + (status.budgetResetsAt() == null ? "" : "; it resumes at " + status.budgetResetsAt())));
        }
        return waiting;
    }

    /** Stream entry ids ({@code <ms>-<seq>}) in time order, across streams. */
    private static int byEntryId(String a, String b) {
        long[] x = parts(a);
        long[] y = parts(b);
        return x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]);
    }

    private static long[] parts(String id) {
        int dash = id.indexOf('-');
        try {
            return dash < 0 ? new long[] {Long.parseLong(id), 0}
                    : new long[] {Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))};
        } catch (NumberFormatException e) {
            return new long[] {Long.MAX_VALUE, 0};
        }
    }

    static String annotation(ArkRun run, String key) {
        Map<String, String> annotations = run.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static Set<String> retrySteps(ArkRun run) {
        String steps = annotation(run, Ark.ANNOTATION_RETRY_STEPS);
        if (steps == null || steps.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(steps.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Unfinished runs of the agent's team, and those with a step routing or a lookup gave it. */
    private static Set<ResourceID> unfinishedRunsUsing(ArkAgent agent, EventSourceContext<ArkRun> context) {
        String team = label(agent, Ark.LABEL_TEAM);
        String name = agent.getMetadata().getName();
        return context.getPrimaryCache().list(agent.getMetadata().getNamespace(),
                        run -> RunStatus.started(run.getStatus()) && !run.getStatus().phase().isFinished()
                                && (team != null && team.equals(label(run, Ark.LABEL_TEAM)) || run.getStatus().steps() != null
                                && run.getStatus().steps().stream().anyMatch(s -> name.equals(s.resolvedAgent()))))
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    private static Set<ResourceID> agentsOf(ArkRun run) {
        if (run.getSpec() == null) {
            return Set.of();
        }
        return roles(run.getStatus()).stream().map(role -> new ResourceID(
                Names.agent(run.getSpec().teamName(), role), run.getMetadata().getNamespace())).collect(Collectors.toSet());
    }

    private static String label(io.fabric8.kubernetes.api.model.HasMetadata object, String key) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }
}
