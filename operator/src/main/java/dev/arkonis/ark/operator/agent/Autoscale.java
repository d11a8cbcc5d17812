package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.Autoscaling;
import dev.arkonis.ark.operator.OperatorConfig;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How many pods an agent runs now. Without autoscaling, {@code spec.replicas}. With it, the pods follow the work on its
 * queue: {@code ceil(work / tasksPerPod)} between {@code minReplicas} and {@code maxReplicas} (defaults: one and
 * spec.replicas), and none once it has been idle {@code scaleToZero.afterSeconds} (with scaleToZero or minReplicas 0). An exhausted budget wins: 0. Pure.
 *
 * @param replicas  pods to run
 * @param idleSince since when the agent has had no work, or null
 * @param reason    why, in words, for the Event that announces a change
 * @param recheck   when to decide again though nothing else changes (the moment an idle agent goes to zero)
 */
public record Autoscale(int replicas, Instant idleSince, String reason, Optional<Instant> recheck) {
    static final String BUDGET = "the budget is spent";

    /**
     * @param work        tasks queued or in progress on its queue, or empty when it could not be read
     * @param lastDesired what was decided last (the status), kept while the work cannot be read
     */
    public static Autoscale decide(AgentSpec spec, Optional<Long> work, Integer lastDesired, Instant idleSince,
                                   boolean budgetExhausted, Instant now) {
        Autoscaling autoscaling = spec.autoscaling();
        if (budgetExhausted) {
            return new Autoscale(0, null, BUDGET, Optional.empty());
        }
        if (autoscaling == null || !autoscaling.isEnabled()) {
            return new Autoscale(spec.effectiveReplicas(), null, "spec.replicas", Optional.empty());
        }
        int max = autoscaling.mostPods(spec.effectiveReplicas());
        int fewest = Math.min(autoscaling.fewestPods(), max);
        if (work.isEmpty()) {
            // before the first reading, one pod: work read a moment later adds more
            int kept = lastDesired == null ? Math.min(1, max) : Math.min(lastDesired, max);
            return new Autoscale(kept, idleSince, "the queue cannot be read; keeping " + kept, Optional.empty());
        }
        long tasks = work.get();
        int perPod = autoscaling.tasksPerPod(spec.effectiveLimits().effectiveMaxConcurrentTasks());
        if (tasks > 0) {
            int wanted = (int) Math.min(max, Math.max(fewest, (tasks + perPod - 1) / perPod));
            return new Autoscale(wanted, null, tasks + " task(s) queued or running, " + perPod + " per pod"
                    + (wanted == max && tasks > (long) max * perPod ? ", at most " + max + " pod(s)" : ""), Optional.empty());
        }
        Instant idle = idleSince != null ? idleSince : now;
        if (autoscaling.scalesToZero()) {
            Instant zeroAt = idle.plus(Duration.ofSeconds(autoscaling.idleSeconds()));
            if (!now.isBefore(zeroAt)) {
                return new Autoscale(0, idle, "idle for " + autoscaling.idleSeconds() + "s (scaleToZero)", Optional.empty());
            }
            return new Autoscale(fewest, idle, "idle since " + idle + "; to zero at " + zeroAt,
                    Optional.of(zeroAt));
        }
        return new Autoscale(fewest, idle, fewest == 1 ? "idle; one pod stays (no scaleToZero)"
                : "idle; " + fewest + " pods stay (minReplicas)", Optional.empty());
    }

    private static final String CONTEXT_KEY = "autoscale";

    /**
     * The decision of this reconcile of the agent, made once and shared by its Deployment and its status: its work as
     * last read, its budget, what its status last recorded (desired replicas, since when it is idle).
     */
    static Autoscale of(ArkAgent agent, Context<ArkAgent> context, OperatorConfig config, Instant now) {
        var shared = context.managedWorkflowAndDependentResourceContext();
        return shared.get(CONTEXT_KEY, Autoscale.class).orElseGet(() -> {
            AgentStatus status = agent.getStatus();
            boolean exhausted = BudgetEventSource.current(agent, context, config.budgetOf(agent.getSpec()))
                    .state().exhausted();
            Autoscale decided = decide(agent.getSpec(), WorkEventSource.current(context),
                    status == null ? null : status.desiredReplicas(),
                    status == null || status.idleSince() == null ? null : Instant.parse(status.idleSince()), exhausted, now);
            shared.put(CONTEXT_KEY, decided);
            return decided;
        });
    }

    /** The most work a decision about this agent needs to count: beyond it, it runs every pod it may. */
    public static long countUpTo(AgentSpec spec) {
        Autoscaling autoscaling = spec.autoscaling();
        int perPod = spec.effectiveLimits().effectiveMaxConcurrentTasks();
        return autoscaling == null ? (long) Math.max(1, spec.effectiveReplicas()) * perPod + 1
                : (long) Math.max(1, autoscaling.mostPods(spec.effectiveReplicas())) * autoscaling.tasksPerPod(perPod) + 1;
    }
}
