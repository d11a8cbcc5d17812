package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.flow.KeyFence;
import dev.arkonis.ark.flow.Problem;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * Why an agent is refused (it then runs no pods and gets no Redis user): a rule that keeps the organisation's key
 * where it belongs, or a name whose queue would reach another team's keys.
 */
final class AgentProblems {
    private AgentProblems() {
    }

    static List<Problem> of(ArkAgent agent, Context<ArkAgent> context) {
        List<Problem> problems = new ArrayList<>(KeyFence.problems(agent.getSpec(), agent.getSpec().hasOwnKeys(), "spec"));
        ReferencedObjects.nameClash(context, agent).ifPresent(problems::add);
        return problems;
    }
}
