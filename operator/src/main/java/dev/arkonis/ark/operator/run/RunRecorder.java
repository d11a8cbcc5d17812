package dev.arkonis.ark.operator.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.operator.ArkLifecycle;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.ReconcilerUtils;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.util.Map;

/**
 * Records what a reconcile decided where people and the rest of ark see it, before anything is carried out: a new
 * run's team label, the status (outputs it cuts kept whole in the transport), Events for every transition, the
 * listeners told of failed steps and finished runs (notifications), and the run's trace. Whatever a crash interrupts
 * is recorded again by the reconcile that follows: Events and notifications are told once each.
 */
final class RunRecorder {
    /** The finalizer JOSDK put on runs while ark cleaned them up through it. */
    static final String LEGACY_FINALIZER = ReconcilerUtils.getDefaultFinalizerName(ArkRun.class);

    private final KubernetesClient client;
    private final RunStatusRecorder statuses;
    private final RunEvents events;
    private final ArkLifecycle lifecycle;
    private final RunTelemetry telemetry;

    RunRecorder(KubernetesClient client, RunStatusRecorder statuses, RunEvents events, ArkLifecycle lifecycle,
                RunTelemetry telemetry) {
        this.client = client;
        this.statuses = statuses;
        this.events = events;
        this.lifecycle = lifecycle;
        this.telemetry = telemetry;
    }

    /** @return the run as the API server now has it */
    ArkRun record(ArkRun run, Decision decision, RunObservation seen, Context<ArkRun> context, Instant now) {
        if (decision instanceof Decision.Refuse refuse) {
            return refused(labelled(run, refuse.team(), context), refuse, context, now);
        }
        if (decision instanceof Decision.Drive drive) {
            return driven(drive.started() ? labelled(run, drive.live().team, context) : run, drive, seen, context, now);
        }
        return run;
    }

    /**
     * The run may not start yet: labelled with its team, so lists show it, and waiting with its place in line; the
     * Event is told when it begins to wait, not each time its place is written again.
     *
     * @return the run as the API server now has it
     */
    ArkRun held(ArkRun run, RunAdmission.Verdict verdict, Context<ArkRun> context, Instant now) {
        ArkRun labelled = labelled(run, run.getSpec().teamName(), context);
        RunStatus before = run.getStatus();
        ArkRun recorded = statuses.recordUnstarted(labelled, RunStatusMapper.held(verdict.message(), before,
                run.getMetadata().getGeneration(), now), context);
        if (before == null || !before.isHeld()) {
            events.held(recorded, verdict.message());
        }
        return recorded;
    }

    /** A deleted run's traces are done with, and the whole outputs kept for it. */
    void forget(ArkRun run) {
        telemetry.forget(run);
        events.forget(run);
        statuses.dropOutputs(run);
    }

    /**
     * A run being deleted that still carries the finalizer older versions of ark had JOSDK put on every run: taken
     * off, so the deletion completes (runs carry none any more).
     */
    void released(ArkRun run) {
        if (run.isMarkedForDeletion() && run.hasFinalizer(LEGACY_FINALIZER)) {
            client.resource(run).edit(r -> {
                r.removeFinalizer(LEGACY_FINALIZER);
                return r;
            });
        }
    }

    private ArkRun refused(ArkRun run, Decision.Refuse refuse, Context<ArkRun> context, Instant now) {
        RunStatus failed = RunStatusMapper.failedToStart(refuse.reason().name(), refuse.message(), refuse.teamSpec(),
                run.getMetadata().getGeneration(), now);
        ArkRun recorded = statuses.recordUnstarted(run, failed, context);
        events.refused(run, refuse.reason(), refuse.message());
        lifecycle.runFinished(run, failed);
        return recorded;
    }

    private ArkRun driven(ArkRun run, Decision.Drive drive, RunObservation seen, Context<ArkRun> context, Instant now) {
        LiveRun live = drive.live();
        RunStatus before = run.getStatus();
        ArkRun recorded = statuses.record(run, live, seen, context, now);
        telemetry.recorded(recorded, live.team, before, seen, drive.changes(), now);
        announce(recorded, live, drive, before);
        tellLifecycle(recorded, drive, before);
        return recorded;
    }

    private void announce(ArkRun run, LiveRun live, Decision.Drive drive, RunStatus before) {
        drive.notes().forEach(note -> events.note(run, note));
        if (!live.announced) {
            events.recorded(run, String.valueOf(live.observedRetry), live.engine);
            live.announced = true;
            return;
        }
        events.written(run, live, drive.changes(), before);
    }

    /**
     * Failed steps, steps that wait for approval and a run that has just finished are told to the listeners
     * (notifications), once each.
     */
    private void tellLifecycle(ArkRun run, Decision.Drive drive, RunStatus before) {
        RunStatus now = run.getStatus();
        drive.changes().stream().filter(step -> step.phase() == StepPhase.Failed)
                .forEach(step -> lifecycle.stepFailed(run, now, step.name(), step.message()));
        drive.changes().stream().filter(step -> step.phase() == StepPhase.WaitingForApproval)
                .forEach(step -> lifecycle.approvalRequested(run, now, step.name(), step.attempts()));
        boolean wasFinished = before != null && before.phase() != null && before.phase().isFinished();
        if (now != null && now.phase() != null && now.phase().isFinished() && !wasFinished) {
            lifecycle.runFinished(run, now);
        }
    }

    /**
     * The label lets users and ark find a team's runs: the run's one metadata write (a merge patch of the label
     * alone, which nothing else writes), handed to the controller's cache so the status is written over it.
     */
    private ArkRun labelled(ArkRun run, String team, Context<ArkRun> context) {
        Map<String, String> labels = run.getMetadata().getLabels();
        if (team == null || team.isBlank() || labels != null && team.equals(labels.get(Ark.LABEL_TEAM))) {
            return run;
        }
        ObjectNode patch = Serialization.jsonMapper().createObjectNode();
        ObjectNode metadata = patch.putObject("metadata");
        // locked to the copy decided from: the status is written over what this returns, so it must be that copy
        metadata.put("resourceVersion", run.getMetadata().getResourceVersion());
        metadata.putObject("labels").put(Ark.LABEL_TEAM, team);
        return statuses.wrote(run, client.resource(run).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString()),
                context);
    }
}
