package dev.arkonis.ark.operator.team;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.ArkTeamStatus;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.flow.Validation;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** ArkTeam: validate with the engine, then keep the role agents and the run history, then report status. */
@ControllerConfiguration(name = "arkteam")
public final class TeamReconciler implements Reconciler<ArkTeam> {
    private final TeamValidator validator;
    private final TeamAgents agents;
    private final RunHistory history;
    private final Clock clock;

    public TeamReconciler(TeamValidator validator, TeamAgents agents, RunHistory history, Clock clock) {
        this.validator = validator;
        this.agents = agents;
        this.history = history;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, ArkTeam>> prepareEventSources(EventSourceContext<ArkTeam> context) {
        // agents' status changes (ready pods) and user patches come back to the owning team
        InformerEventSource<ArkAgent, ArkTeam> agentSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ArkAgent.class, ArkTeam.class)
                        .withNamespacesInheritedFromController()
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ArkTeam.class))
                        .build(), context);
        // runs belong to a team by label, not ownership (deleting a team should not need to delete its history)
        InformerEventSource<ArkRun, ArkTeam> runSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ArkRun.class, ArkTeam.class)
                        .withNamespacesInheritedFromController()
                        .withSecondaryToPrimaryMapper(TeamReconciler::teamOfRun)
                        .build(), context);
        return List.of(agentSource, runSource);
    }

    @Override
    public UpdateControl<ArkTeam> reconcile(ArkTeam team, Context<ArkTeam> context) {
        Validation validation = validator.validate(team.getSpec());
        ArkTeamStatus status;
        if (!validation.isValid()) {
            status = TeamStatusBuilder.invalid(team, validation, clock.instant());
        } else {
            Set<ArkAgent> owned = context.getSecondaryResources(ArkAgent.class);
            agents.sync(team, owned);
            Set<ArkRun> runs = context.getSecondaryResources(ArkRun.class);
            history.prune(team.getSpec(), runs);
            status = TeamStatusBuilder.valid(team, validation, owned, RunHistory.newest(runs), clock.instant());
        }
        if (Objects.equals(status, team.getStatus())) {
            return UpdateControl.noUpdate();
        }
        team.setStatus(status);
        return UpdateControl.patchStatus(team);
    }

    private static Set<ResourceID> teamOfRun(ArkRun run) {
        Map<String, String> labels = run.getMetadata().getLabels();
        String team = labels == null ? null : labels.get(Ark.LABEL_TEAM);
        return team == null ? Set.of() : Set.of(new ResourceID(team, run.getMetadata().getNamespace()));
    }
}
