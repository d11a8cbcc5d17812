package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/** Makes a run be reconciled now, though nothing about it changed (a waiting run whose turn came). */
final class RunWakeups extends AbstractEventSource<RunWakeups.Wakeup, ArkRun> {
    /** Nothing: a wake-up carries no resource of its own. */
    record Wakeup() {
    }

    RunWakeups() {
        super(Wakeup.class, "wakeups");
    }

    void wake(ResourceID run) {
        if (isRunning()) {
            getEventHandler().handleEvent(new Event(run));
        }
    }

    @Override
    public Set<Wakeup> getSecondaryResources(ArkRun run) {
        return Set.of();
    }
}
