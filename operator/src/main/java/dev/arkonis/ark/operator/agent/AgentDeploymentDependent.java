package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.operator.Hashes;
import dev.arkonis.ark.operator.OperatorConfig;
import dev.arkonis.ark.operator.TeamMembership;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An agent's Deployment, as {@link AgentDeployment} builds it: pods run {@code spec.replicas}, or what autoscaling
 * decides from the work on its queue ({@link Autoscale}), or 0 while the budget is exhausted; the pod template carries a hash of the data its pods read by reference, so a change of it rolls them.
 * Whether the Deployment matches is decided by a hash of our own desired object (kept in an annotation), immune to
 * the defaults the API server fills in, plus the replica count, so a hand-scaled Deployment returns to what the agent
 * wants. Needs no Redis: a budget that cannot be read keeps its last known value.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Ark.LABEL_MANAGED_BY + "=" + Ark.MANAGED_BY))
public final class AgentDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, ArkAgent> {
    static final String DESIRED_HASH_ANNOTATION = "arkonis.dev/desired-hash";

    private final OperatorConfig config;
    private final AgentDeployment builder;
    private final Clock clock;

    public AgentDeploymentDependent(OperatorConfig config, Clock clock) {
        super(Deployment.class);
        this.config = config;
        this.builder = new AgentDeployment(config);
        this.clock = clock;
    }

    @Override
    protected Deployment desired(ArkAgent agent, Context<ArkAgent> context) {
        Optional<Secret> apiKeys = ApiKeySecretDependent.usesOrganisationKeys(config, agent)
                ? ReferencedObjects.apiKeySource(context, config) : Optional.empty();
        // new Redis credentials (a new password, or the shared one) roll the pods: they read them at start
        QueueGrant queue = QueueCredentialsDependent.grantOf(context);
        String configHash = Hashes.ofValue(List.of(ConfigHash.of(DataRef.of(agent.getSpec()), ReferencedObjects.data(context),
                apiKeys.map(ApiKeySecretDependent::providerData)), Hashes.ofText(queue.username() + "\n" + queue.password())));
        // spec.replicas stays the desired count (the most, with autoscaling); the Deployment runs what is decided now
        int replicas = Autoscale.of(agent, context, config, clock.instant()).replicas();
        Deployment desired = builder.desired(agent, new AgentDeployment.Inputs(TeamMembership.queueOf(agent),
                TeamMembership.of(agent), replicas, configHash, apiKeys.map(source -> new ProviderKeyEnv.Organisation(
                        ApiKeySecretDependent.NAME, ApiKeySecretDependent.providerData(source).keySet())),
                ReferencedObjects.settings(context, agent)));
        String hash = Hashes.ofValue(desired);
        desired.getMetadata().setAnnotations(new HashMap<>(Map.of(DESIRED_HASH_ANNOTATION, hash)));
        return desired;
    }

    @Override
    public Matcher.Result<Deployment> match(Deployment actual, Deployment desired, ArkAgent agent,
                                            Context<ArkAgent> context) {
        Map<String, String> annotations = actual.getMetadata().getAnnotations();
        String wanted = desired.getMetadata().getAnnotations().get(DESIRED_HASH_ANNOTATION);
        boolean sameHash = annotations != null && Objects.equals(wanted, annotations.get(DESIRED_HASH_ANNOTATION));
        boolean sameReplicas = Objects.equals(actual.getSpec().getReplicas(), desired.getSpec().getReplicas());
        return Matcher.Result.computed(sameHash && sameReplicas, desired);
    }

    @Override
    protected ResourceID targetSecondaryResourceID(ArkAgent agent, Context<ArkAgent> context) {
        return ResourceID.fromResource(agent);
    }

    /**
     * An agent whose spec cannot be read, breaks a rule that keeps the organisation's key where it belongs, or whose
     * queue would reach a team's keys, runs no pods; the reconciler says why.
     */
    public static final class SpecRunnable implements Condition<Deployment, ArkAgent> {
        @Override
        public boolean isMet(DependentResource<Deployment, ArkAgent> dependent, ArkAgent agent, Context<ArkAgent> context) {
            return agent.getSpec() != null && AgentProblems.of(agent, context).isEmpty();
        }
    }
}
