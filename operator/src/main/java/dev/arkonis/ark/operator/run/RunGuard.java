package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunSpec;
import dev.arkonis.ark.operator.UnreadableResources;

/** A run whose spec or status ark cannot read is reported and skipped, while every other run is reconciled. */
final class RunGuard {
    private final UnreadableResources unreadable;

    RunGuard(UnreadableResources unreadable) {
        this.unreadable = unreadable;
    }

    boolean admits(ArkRun run) {
        if (run.getSpec() == null) {
            unreadable.specUnreadable(run, RunSpec.class);
            return false;
        }
        if (run.getStatus() != null && run.getStatus().isUnreadable()) {
            unreadable.statusUnreadable(run, run.getStatus().message());
            return false;
        }
        return true;
    }
}
