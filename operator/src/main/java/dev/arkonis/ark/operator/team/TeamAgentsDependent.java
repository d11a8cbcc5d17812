package dev.arkonis.ark.operator.team;

import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.operator.TeamMembership;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.flow.Validation;
import dev.arkonis.ark.operator.Hashes;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A team's roles as ArkAgents {@code <team>-<role>}, owned by the team; agents whose role is gone are deleted. An
 * agent matches while the role's spec in the team is the one it was last written from (hash in an annotation), so a
 * user's direct patch of the ArkAgent (lifting its budget, say) holds until the team changes that role.
 */
public final class TeamAgentsDependent extends KubernetesDependentResource<ArkAgent, ArkTeam>
        implements CRUDKubernetesBulkDependentResource<ArkAgent, ArkTeam>, GarbageCollected<ArkTeam> {
    public static final String ROLE_SPEC_HASH_ANNOTATION = "arkonis.dev/role-spec-hash";
    private static final String VALIDATION = "validation";

    private final TeamValidator validator;

    public TeamAgentsDependent(TeamValidator validator) {
        super(ArkAgent.class);
        this.validator = validator;
    }

    static String roleSpecHash(AgentSpec spec) {
        return Hashes.ofValue(spec);
    }

    /** The team's roles as their agents run them, a routed team's router among them. */
    @Override
    public Map<ResourceID, ArkAgent> desiredResources(ArkTeam team, Context<ArkTeam> context) {
        Map<ResourceID, ArkAgent> desired = new LinkedHashMap<>();
        for (TeamRole role : Pipeline.rolesOf(team.getSpec()).values()) {
            ArkAgent agent = desired(team, role);
            desired.put(ResourceID.fromResource(agent), agent);
        }
        return desired;
    }

    @Override
    public Map<ResourceID, ArkAgent> getSecondaryResources(ArkTeam team, Context<ArkTeam> context) {
        return context.getSecondaryResourcesAsStream(ArkAgent.class)
                .collect(Collectors.toMap(ResourceID::fromResource, Function.identity(), (a, b) -> a));
    }

    @Override
    public Matcher.Result<ArkAgent> match(ArkAgent actual, ArkAgent desired, ArkTeam team, Context<ArkTeam> context) {
        Map<String, String> annotations = actual.getMetadata().getAnnotations();
        String written = annotations == null ? null : annotations.get(ROLE_SPEC_HASH_ANNOTATION);
        boolean sameRole = Objects.equals(written, desired.getMetadata().getAnnotations().get(ROLE_SPEC_HASH_ANNOTATION));
        boolean labelled = actual.getMetadata().getLabels() != null
                && actual.getMetadata().getLabels().entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
        return Matcher.Result.computed(sameRole && labelled, desired);
    }

    /** The ArkAgent a role becomes, with the team's autoscaling where the role sets none. */
    static ArkAgent desired(ArkTeam team, TeamRole role) {
        AgentSpec spec = team.getSpec().agentSpec(role);
        ArkAgent agent = new ArkAgent();
        agent.setMetadata(new ObjectMetaBuilder()
                .withName(Names.agent(team.getMetadata().getName(), role.name()))
                .withNamespace(team.getMetadata().getNamespace())
                .withLabels(labels(team, role))
                .withAnnotations(new LinkedHashMap<>(Map.of(ROLE_SPEC_HASH_ANNOTATION, roleSpecHash(spec))))
                .withOwnerReferences(owner(team))
                .build());
        agent.setSpec(spec);
        return agent;
    }

    /**
     * The team's validation, computed once per reconcile and shared with the reconciler: its spec's, and its name,
     * which an agent no team owns may not have (that agent's queue keys would hold this team's roles' queues).
     */
    Validation validation(ArkTeam team, Context<ArkTeam> context) {
        return context.managedWorkflowAndDependentResourceContext().get(VALIDATION, Validation.class).orElseGet(() -> {
            Validation validation = validator.validate(team.getSpec());
            Optional<ArkAgent> namesake = eventSource().flatMap(source -> source.get(ResourceID.fromResource(team)))
                    .filter(agent -> TeamMembership.of(agent).isEmpty());
            if (namesake.isPresent()) {
                List<Problem> errors = new java.util.ArrayList<>(validation.errors());
                errors.add(new Problem("metadata.name", "ArkAgent " + team.getMetadata().getName() + " of this "
                        + "namespace, which no team owns, has this name: its queue's keys would hold this team's roles' "
                        + "queues; rename the team (or the agent)"));
                validation = new Validation(errors, validation.warnings());
            }
            context.managedWorkflowAndDependentResourceContext().put(VALIDATION, validation);
            return validation;
        });
    }

    private static Map<String, String> labels(ArkTeam team, TeamRole role) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Ark.LABEL_TEAM, team.getMetadata().getName());
        labels.put(Ark.LABEL_ROLE, role.name());
        labels.put(Ark.LABEL_MANAGED_BY, Ark.MANAGED_BY);
        return labels;
    }

    private static OwnerReference owner(ArkTeam team) {
        return new OwnerReferenceBuilder().withApiVersion(team.getApiVersion()).withKind(team.getKind())
                .withName(team.getMetadata().getName()).withUid(team.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** An invalid team's agents stay as they were: nothing is created, changed or deleted for it. */
    public static final class TeamIsValid implements Condition<ArkAgent, ArkTeam> {
        @Override
        public boolean isMet(DependentResource<ArkAgent, ArkTeam> dependent, ArkTeam team, Context<ArkTeam> context) {
            return team.getSpec() != null && ((TeamAgentsDependent) dependent).validation(team, context).isValid();
        }
    }
}
