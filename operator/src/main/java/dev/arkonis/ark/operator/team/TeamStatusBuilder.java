package dev.arkonis.ark.operator.team;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.ArkTeamStatus;
import dev.arkonis.ark.api.ArkTeamStatus.TeamPhase;
import dev.arkonis.ark.api.RoleStatus;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.flow.Validation;
import dev.arkonis.ark.operator.StatusConditions;
import dev.arkonis.ark.operator.ReconcileErrors;
import dev.arkonis.ark.operator.TeamMembership;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A team's status. Phase: Invalid when validation fails; Ready when every role's agent (a routed team's router's
 * too) has a ready pod, or autoscaling took it to zero while idle;
 * Degraded when that stops holding after the team was Ready (or Degraded); Pending before it first got there.
 */
final class TeamStatusBuilder {
    private TeamStatusBuilder() {
    }

    static ArkTeamStatus invalid(ArkTeam team, Validation validation, Instant now) {
        ArkTeamStatus old = team.getStatus();
        Long generation = team.getMetadata().getGeneration();
        String problems = validation.errors().stream().map(TeamStatusBuilder::describe).collect(Collectors.joining("; "));
        List<Condition> conditions = StatusConditions.set(old == null ? null : old.conditions(), Ark.CONDITION_VALID,
                false, "ValidationFailed", problems, generation, now);
        conditions = StatusConditions.set(conditions, Ark.CONDITION_READY, false, "Invalid",
                "the team is invalid; see the Valid condition", generation, now);
        conditions = ReconcileErrors.succeeded(conditions, generation, now);
        // agents stay as they were, so does what status says about them
        return ArkTeamStatus.builder().phase(TeamPhase.Invalid).conditions(conditions)
                .roles(old == null ? null : old.roles()).roleCount(team.getSpec().roleList().size())
                .lastRunName(old == null ? null : old.lastRunName()).observedGeneration(generation).build();
    }

    static ArkTeamStatus valid(ArkTeam team, Validation validation, Collection<ArkAgent> agents,
            Optional<String> lastRun, Instant now) {
        ArkTeamStatus old = team.getStatus();
        Long generation = team.getMetadata().getGeneration();
        String namespace = team.getMetadata().getNamespace();
        Map<String, ArkAgent> byName = agents.stream()
                .collect(Collectors.toMap(a -> a.getMetadata().getName(), Function.identity(), (a, b) -> a));
        List<RoleStatus> roles = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (TeamRole role : Pipeline.rolesOf(team.getSpec()).values()) {
            String agentName = dev.arkonis.ark.api.Names.agent(team.getMetadata().getName(), role.name());
            ArkAgent agent = byName.get(agentName);
            int ready = agent == null || agent.getStatus() == null || agent.getStatus().readyReplicas() == null
                    ? 0 : agent.getStatus().readyReplicas();
            if (ready < 1 && !asleep(agent)) {
                waiting.add(role.name());
            }
            roles.add(new RoleStatus(role.name(), agentName,
                    TeamMembership.queueKey(namespace, team.getMetadata().getName(), role.name()), ready));
        }
        boolean ready = waiting.isEmpty();
        boolean wasUp = old != null && (old.phase() == TeamPhase.Ready || old.phase() == TeamPhase.Degraded);
        TeamPhase phase = ready ? TeamPhase.Ready : wasUp ? TeamPhase.Degraded : TeamPhase.Pending;

        String validMessage = validation.warnings().isEmpty() ? "the team is valid"
                : "the team is valid; warnings: " + validation.warnings().stream()
                        .map(TeamStatusBuilder::describe).collect(Collectors.joining("; "));
        List<Condition> conditions = StatusConditions.set(old == null ? null : old.conditions(), Ark.CONDITION_VALID,
                true, "Validated", validMessage, generation, now);
        conditions = StatusConditions.set(conditions, Ark.CONDITION_READY, ready,
                ready ? "AgentsReady" : "AgentsNotReady",
                ready ? "every role has a ready agent pod" : "no ready agent pod for role(s): " + String.join(", ", waiting),
                generation, now);
        conditions = ReconcileErrors.succeeded(conditions, generation, now);
        return ArkTeamStatus.builder().phase(phase).conditions(conditions).roles(roles).roleCount(roles.size())
                .lastRunName(lastRun.orElse(old == null ? null : old.lastRunName())).observedGeneration(generation)
                .build();
    }

    /** An agent autoscaling took to zero while idle: it starts a pod when a task comes, so its role is not missing. */
    private static boolean asleep(ArkAgent agent) {
        return agent != null && agent.getStatus() != null && agent.getStatus().idleSince() != null
                && Integer.valueOf(0).equals(agent.getStatus().desiredReplicas());
    }

    private static String describe(Problem p) {
        return p.path() == null || p.path().isEmpty() ? p.message() : p.path() + ": " + p.message();
    }
}
