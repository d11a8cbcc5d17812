package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;

/**
 * What comes after a reconcile that carried out all it decided: the run's engine is kept for its next event (unless
 * the run finished, or the engine was driven from an older copy of it), and the run is looked at again at its next
 * deadline, or soon when results wait for a newer copy of it.
 */
final class RunSchedule {
    /** How soon a run with results its copy could not apply yet is looked at again, if no newer copy came first. */
    static final Duration EARLY_RESULT_RECHECK = Duration.ofMillis(200);

    private final LiveRuns liveRuns;
    private final Clock clock;

    RunSchedule(LiveRuns liveRuns, Clock clock) {
        this.liveRuns = liveRuns;
        this.clock = clock;
    }

    UpdateControl<ArkRun> next(ArkRun recorded, Decision decision) {
        UpdateControl<ArkRun> control = UpdateControl.noUpdate();
        boolean early = !decision.early().isEmpty();
        if (decision instanceof Decision.Drive drive) {
            // an engine that changed after its status was written is kept to record that, finished or not
            if ((drive.live().engine.phase().isFinished() && !drive.live().unrecorded) || early) {
                liveRuns.drop(drive.live());
            } else {
                liveRuns.keep(recorded, drive.live());
            }
        }
        if (early) {
            // the newer copy of the run is on its way from the API server; look again soon in any case
            return control.rescheduleAfter(EARLY_RESULT_RECHECK.toMillis());
        }
        if (decision instanceof Decision.Drive drive && drive.live().unrecorded) {
            drive.live().unrecorded = false;
            return control.rescheduleAfter(1);
        }
        if (decision instanceof Decision.Drive drive) {
            return drive.live().engine.nextDeadline().map(deadline -> control.rescheduleAfter(
                    Math.max(1, Duration.between(clock.instant(), deadline).toMillis()))).orElse(control);
        }
        return control;
    }

    /** A deleted run's engine is gone. */
    void forget(ArkRun run) {
        liveRuns.forget(run);
    }
}
