package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.operator.ArkLifecycle;
import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.operator.KubeEvents;
import dev.arkonis.ark.operator.OperatorConfig;
import dev.arkonis.ark.operator.StatusRecorder;
import dev.arkonis.ark.operator.StatusConditions;
import dev.arkonis.ark.operator.TeamMembership;
import dev.arkonis.ark.operator.UnreadableResources;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ArkAgent: its owned objects are dependent resources (the Deployment of agent pods, the namespace's copy of the API-key
 * Secret, its Redis credentials with the Redis user they open), its budget is observed state
 * ({@link BudgetEventSource}); the reconciler itself writes the status, announces budget transitions and removes the
 * agent's Redis user when the agent goes.
 */
@Workflow(dependents = {
        @Dependent(name = ApiKeySecretDependent.NAME, type = ApiKeySecretDependent.class,
                reconcilePrecondition = ApiKeySecretDependent.SourceExists.class,
                useEventSourceWithName = ReferencedObjects.OWNED_SECRETS),
        @Dependent(name = QueueCredentialsDependent.NAME, type = QueueCredentialsDependent.class,
                useEventSourceWithName = ReferencedObjects.OWNED_SECRETS),
        @Dependent(name = "deployment", type = AgentDeploymentDependent.class,
                reconcilePrecondition = AgentDeploymentDependent.SpecRunnable.class,
                dependsOn = QueueCredentialsDependent.NAME)})
@ControllerConfiguration(name = AgentReconciler.NAME)
public final class AgentReconciler implements Reconciler<ArkAgent>, Cleaner<ArkAgent> {
    public static final String NAME = "arkagent";
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    private static final java.time.Duration PENDING_RETRY = java.time.Duration.ofSeconds(5);

    private final OperatorConfig config;
    private final BudgetEventSource budgets;
    private final KubeEvents events;
    private final StatusRecorder<ArkAgent, AgentStatus> statuses;
    private final UnreadableResources unreadable;
    private final Clock clock;
    private final ArkLifecycle lifecycle;
    private final QueueAccess queueAccess;
    private final WorkEventSource work;
    private final RedisReturns redisReturns = new RedisReturns();

    /** An operator without a queue: agents' credentials are set nowhere (operator tests). */
    public AgentReconciler(OperatorConfig config, BudgetEventSource budgets, KubeEvents events,
                           StatusRecorder<ArkAgent, AgentStatus> statuses, UnreadableResources unreadable, Clock clock,
                           ArkLifecycle lifecycle) {
        this(config, budgets, events, statuses, unreadable, clock, lifecycle, QueueAccess.none(),
                new WorkEventSource(AgentWork.NONE, WorkEventSource.POLL));
    }

    /**
     * @param lifecycle   told when an agent's budget runs out or comes back (notifications)
     * @param queueAccess sets and removes agents' Redis users
     * @param work        the work on autoscaled agents' queues
     */
    public AgentReconciler(OperatorConfig config, BudgetEventSource budgets, KubeEvents events,
                           StatusRecorder<ArkAgent, AgentStatus> statuses, UnreadableResources unreadable, Clock clock,
                           ArkLifecycle lifecycle, QueueAccess queueAccess, WorkEventSource work) {
        this.queueAccess = queueAccess;
        this.work = work;
        this.lifecycle = lifecycle;
        this.config = config;
        this.budgets = budgets;
        this.events = events;
        this.statuses = statuses;
        this.unreadable = unreadable;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, ArkAgent>> prepareEventSources(EventSourceContext<ArkAgent> context) {
        List<EventSource<?, ArkAgent>> sources = new java.util.ArrayList<>(new ReferencedObjects(config, context).sources());
        redisReturns.bind(context.getPrimaryCache());
        sources.add(budgets);
        sources.add(work);
        sources.add(redisReturns);
        return sources;
    }

    @Override
    public UpdateControl<ArkAgent> reconcile(ArkAgent agent, Context<ArkAgent> context) {
        if (agent.getSpec() == null) {
            unreadable.specUnreadable(agent, dev.arkonis.ark.api.AgentSpec.class);
            return UpdateControl.noUpdate();
        }
        BudgetReading reading = BudgetEventSource.current(agent, context, config.maxDailyTokens(agent.getSpec()));
        Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
        QueueGrant queue = QueueCredentialsDependent.grantOf(context);
        Instant now = clock.instant();
        Autoscale scale = Autoscale.of(agent, context, config, now);
        AgentStatus status = AgentStatusBuilder.build(agent, deployment, TeamMembership.queueOf(agent), reading,
                AgentProblems.of(agent, context), queue, scale, now);
        announceBudgetChange(agent, reading.state(), status);
        announceScaling(agent, scale);
        statuses.record(agent, status, context);
        UpdateControl<ArkAgent> control = scale.recheck()
                .map(at -> UpdateControl.<ArkAgent>noUpdate().rescheduleAfter(
                        Math.max(1, java.time.Duration.between(clock.instant(), at).toMillis())))
                .orElse(UpdateControl.noUpdate());
        // a Redis that comes back after a lost connection is noticed at once; this covers one not reached at all
        return queue.kind() == QueueGrant.Kind.PENDING ? control.rescheduleAfter(PENDING_RETRY.toMillis()) : control;
    }

    /** The agent's Redis user goes with it (ACL DELUSER also closes connections still using it). */
    @Override
    public DeleteControl cleanup(ArkAgent agent, Context<ArkAgent> context) {
        queueAccess.revoke(agent);
        return DeleteControl.defaultDelete();
    }

    /** Redis came back after a lost connection: every agent's user is set again, as it may have been lost. */
    public void redisReturned() {
        redisReturns.redisReturned();
    }

    @Override
    public ErrorStatusUpdateControl<ArkAgent> updateErrorStatus(ArkAgent agent, Context<ArkAgent> context, Exception e) {
        return statuses.failed(agent, context, e);
    }

    /** An autoscaled agent whose replicas changed says so, and why; the budget's own Events tell its changes. */
    private void announceScaling(ArkAgent agent, Autoscale scale) {
        Integer before = agent.getStatus() == null ? null : agent.getStatus().desiredReplicas();
        boolean autoscaled = agent.getSpec().autoscaling() != null && agent.getSpec().autoscaling().isEnabled();
        if (autoscaled && before != null && before != scale.replicas() && !scale.reason().equals(Autoscale.BUDGET)) {
            events.record(agent, EventReason.AutoscaleAgent, "scaled from " + before + " to " + scale.replicas()
                    + " replica(s): " + scale.reason());
        }
    }

    private void announceBudgetChange(ArkAgent agent, BudgetState budget, AgentStatus status) {
        boolean wasExhausted = agent.getStatus() != null
                && StatusConditions.isTrue(agent.getStatus().conditions(), Ark.CONDITION_BUDGET_EXCEEDED);
        if (budget.exhausted() && !wasExhausted) {
            events.record(agent, EventReason.BudgetExceeded, budget.exhaustedMessage() + "; scaled to 0 until "
                    + budget.freesAt().map(Instant::toString).orElse("the window rotates"));
            LOG.info("agent {}/{}: {}; scaled to 0", agent.getMetadata().getNamespace(), agent.getMetadata().getName(),
                    budget.exhaustedMessage());
            lifecycle.budgetChanged(agent, status, true);
        } else if (!budget.exhausted() && wasExhausted) {
            events.record(agent, EventReason.BudgetRestored, budget.limit() > 0
                    ? "rolling 24h budget has room again (" + budget.column() + "); replicas restored"
                    : "budget lifted; replicas restored");
            lifecycle.budgetChanged(agent, status, false);
        }
    }
}
