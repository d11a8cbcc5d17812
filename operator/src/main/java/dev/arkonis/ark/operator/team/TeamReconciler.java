package dev.arkonis.ark.operator.team;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.ArkTeamStatus;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.flow.Validation;
import dev.arkonis.ark.operator.RunWakes;
import dev.arkonis.ark.operator.SharedRuns;
import dev.arkonis.ark.operator.StatusRecorder;
import dev.arkonis.ark.operator.UnreadableResources;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ArkTeam: validated with the engine; its role agents are a bulk dependent resource (kept only while the team is
 * valid); the reconciler prunes the run history and reports status.
 */
@Workflow(dependents = @Dependent(name = "agents", type = TeamAgentsDependent.class,
        reconcilePrecondition = TeamAgentsDependent.TeamIsValid.class))
@ControllerConfiguration(name = TeamReconciler.NAME)
public final class TeamReconciler implements Reconciler<ArkTeam> {
    public static final String NAME = "arkteam";

    private final TeamValidator validator;
    private final RunHistory history;
    private final SharedRuns runs;
    private final StatusRecorder<ArkTeam, ArkTeamStatus> statuses;
    private final UnreadableResources unreadable;
    private final Clock clock;

    /** @param runs the operator's one watch of runs, which this controller wakes from and reads */
    public TeamReconciler(TeamValidator validator, RunHistory history, SharedRuns runs,
                          StatusRecorder<ArkTeam, ArkTeamStatus> statuses, UnreadableResources unreadable, Clock clock) {
        this.validator = validator;
        this.history = history;
        this.runs = runs;
        this.statuses = statuses;
        this.unreadable = unreadable;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, ArkTeam>> prepareEventSources(EventSourceContext<ArkTeam> context) {
        // runs belong to a team by label, not ownership (deleting a team should not need to delete its history)
        // and only what the history and the newest run depend on: a run's writes within one phase do not wake the team
        return List.of(new RunWakes<ArkTeam>(runs, TeamReconciler::teamOfRun,
                (now, before) -> phaseOf(now) != phaseOf(before)));
    }

    @Override
    public UpdateControl<ArkTeam> reconcile(ArkTeam team, Context<ArkTeam> context) {
        if (team.getSpec() == null) {
            unreadable.specUnreadable(team, dev.arkonis.ark.api.ArkTeamSpec.class);
            return UpdateControl.noUpdate();
        }
        Validation validation = context.managedWorkflowAndDependentResourceContext()
                .get("validation", Validation.class).orElseGet(() -> validator.validate(team.getSpec()));
        ArkTeamStatus status;
        if (!validation.isValid()) {
            status = TeamStatusBuilder.invalid(team, validation, clock.instant());
        } else {
            Set<ArkAgent> owned = context.getSecondaryResources(ArkAgent.class);
            // read from the runs' cache as a list: the secondary-resource Set would hash every run in full
            String name = team.getMetadata().getName();
            List<ArkRun> teamRuns = runs.list(team.getMetadata().getNamespace(),
                    run -> teamOfRun(run).stream().anyMatch(id -> id.getName().equals(name))).toList();
            history.prune(team.getSpec(), teamRuns);
            status = TeamStatusBuilder.valid(team, validation, owned, RunHistory.newest(teamRuns), clock.instant());
        }
        statuses.record(team, status, context);
        return UpdateControl.noUpdate();
    }

    @Override
    public ErrorStatusUpdateControl<ArkTeam> updateErrorStatus(ArkTeam team, Context<ArkTeam> context, Exception e) {
        return statuses.failed(team, context, e);
    }

    private static RunPhase phaseOf(ArkRun run) {
        return run.getStatus() == null ? null : run.getStatus().phase();
    }

    private static Set<ResourceID> teamOfRun(ArkRun run) {
        Map<String, String> labels = run.getMetadata().getLabels();
        String team = labels == null ? null : labels.get(Ark.LABEL_TEAM);
        return team == null ? Set.of() : Set.of(new ResourceID(team, run.getMetadata().getNamespace()));
    }
}
