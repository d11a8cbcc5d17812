package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.operator.ArkLifecycle;
import dev.arkonis.ark.operator.OperatorConfig;
import dev.arkonis.ark.operator.TeamMembership;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.List;
import dev.arkonis.ark.operator.KubeEvents;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ArkAgent → its Deployment (SPEC 3), the mirrored API-key Secret, and a status read from the Deployment. */
@ControllerConfiguration(name = "arkagent")
public final class AgentReconciler implements Reconciler<ArkAgent> {
    private static final Logger LOG = LoggerFactory.getLogger("operator");

    private final OperatorConfig config;
    private final AgentDeployment deployments;
    private final DeploymentSync deploymentSync;
    private final ApiKeyMirror mirror;
    private final DesiredReplicas replicas;
    private final AgentBudget budgets;
    private final KubeEvents events;
    private final Clock clock;
    private final ArkLifecycle lifecycle;
    // fed by the run side whenever results of an agent's role arrive: spending changed, look at the budget now
    private final SimpleInboundEventSource<ArkAgent> usage = new SimpleInboundEventSource<>("token-usage");
    private ReferencedObjects referenced;

    public AgentReconciler(OperatorConfig config, AgentDeployment deployments, DeploymentSync deploymentSync,
            ApiKeyMirror mirror, DesiredReplicas replicas, AgentBudget budgets, KubeEvents events, Clock clock) {
        this(config, deployments, deploymentSync, mirror, replicas, budgets, events, clock, ArkLifecycle.NONE);
    }

    public AgentReconciler(OperatorConfig config, AgentDeployment deployments, DeploymentSync deploymentSync,
            ApiKeyMirror mirror, DesiredReplicas replicas, AgentBudget budgets, KubeEvents events, Clock clock,
            ArkLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.config = config;
        this.deployments = deployments;
        this.deploymentSync = deploymentSync;
        this.mirror = mirror;
        this.replicas = replicas;
        this.budgets = budgets;
        this.events = events;
        this.clock = clock;
    }

    /** Tells the reconciler an agent spent tokens (a result of its role arrived). */
    public void usageChanged(String namespace, String agentName) {
        usage.propagateEvent(new ResourceID(agentName, namespace));
    }

    @Override
    public List<EventSource<?, ArkAgent>> prepareEventSources(EventSourceContext<ArkAgent> context) {
        InformerEventSource<Deployment, ArkAgent> deploymentSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Deployment.class, ArkAgent.class)
                        .withNamespacesInheritedFromController()
                        .withLabelSelector(Ark.LABEL_MANAGED_BY + "=" + Ark.MANAGED_BY)
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ArkAgent.class))
                        .build(), context);
        referenced = new ReferencedObjects(config, context);
        return List.of(deploymentSource, referenced.secrets(), referenced.configMaps(), usage);
    }

    @Override
    public UpdateControl<ArkAgent> reconcile(ArkAgent agent, Context<ArkAgent> context) {
        String namespace = agent.getMetadata().getNamespace();
        Optional<TeamMembership> membership = TeamMembership.of(agent);
        String queue = TeamMembership.queueOf(agent);
        Optional<Secret> apiKeys = mirrorApiKeys(namespace);

        String hash = ConfigHash.of(DataRef.of(agent.getSpec()),
                name -> referenced.configMap(namespace, name), name -> referenced.secret(namespace, name), apiKeys);
        BudgetState budget = budgets.of(agent, queue);
        // spec.replicas stays the desired count; only the Deployment runs 0 while the budget is exhausted
        int podCount = budget.exhausted() ? 0 : replicas.of(agent);
        Deployment desired = deployments.desired(agent, new AgentDeployment.Inputs(queue, membership,
                podCount, hash, config.apiKeysSecret().map(s -> ApiKeyMirror.NAME)));
        Deployment actual = deploymentSync.sync(desired, context.getSecondaryResource(Deployment.class));

        AgentStatus status = AgentStatusBuilder.build(agent, actual, queue, budget, clock.instant());
        announceBudgetChange(agent, budget, status);
        UpdateControl<ArkAgent> control;
        if (Objects.equals(status, agent.getStatus())) {
            control = UpdateControl.noUpdate();
        } else {
            agent.setStatus(status);
            control = UpdateControl.patchStatus(agent);
        }
        // back at the exact moment enough of the window has rotated out
        return budget.exhausted() && budget.freesAt().isPresent()
                ? control.rescheduleAfter(Math.max(1, Duration.between(clock.instant(), budget.freesAt().get()).toMillis()))
                : control;
    }

    private void announceBudgetChange(ArkAgent agent, BudgetState budget, AgentStatus status) {
        boolean wasExhausted = agent.getStatus() != null && agent.getStatus().conditions() != null
                && agent.getStatus().conditions().stream().anyMatch(c ->
                Ark.CONDITION_BUDGET_EXCEEDED.equals(c.getType()) && "True".equals(c.getStatus()));
        if (budget.exhausted() && !wasExhausted) {
            events.warning(agent, "BudgetExceeded", budget.exhaustedMessage() + "; scaled to 0 until "
                    + budget.freesAt().map(Instant::toString).orElse("the window rotates"));
            LOG.info("agent {}/{}: {}; scaled to 0", agent.getMetadata().getNamespace(), agent.getMetadata().getName(),
                    budget.exhaustedMessage());
            lifecycle.budgetChanged(agent, status, true);
        } else if (!budget.exhausted() && wasExhausted) {
            events.normal(agent, "BudgetRestored", budget.limit() > 0
                    ? "rolling 24h budget has room again (" + budget.column() + "); replicas restored"
                    : "budget lifted; replicas restored");
            lifecycle.budgetChanged(agent, status, false);
        }
    }

    /** The source Secret, after making sure its copy in the agent's namespace is current; empty when there is none. */
    private Optional<Secret> mirrorApiKeys(String namespace) {
        if (config.apiKeysSecret().isEmpty()) {
            return Optional.empty();
        }
        String sourceName = config.apiKeysSecret().get();
        Optional<Secret> source = referenced.secret(config.operatorNamespace(), sourceName);
        if (source.isEmpty()) {
            // pods then fail with "OPENAI_API_KEY not set"; this line tells the operator's reader why
            LOG.warn("API key Secret {}/{} (API_KEYS_SECRET) not found; agent pods in {} cannot start",
                    config.operatorNamespace(), sourceName, namespace);
            return Optional.empty();
        }
        mirror.sync(namespace, source.get(), referenced.secret(namespace, ApiKeyMirror.NAME));
        return source;
    }
}
