package dev.arkonis.ark.operator;

import dev.arkonis.ark.api.ArkRun;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Wakes a controller's objects when their runs change, as an informer of runs would, but fed by the operator's one
 * watch of runs ({@link SharedRuns}): a run added or deleted wakes the objects it maps to, an update only when the
 * filter lets it.
 *
 * @param <P> the controller's objects (teams, ArkEvents)
 */
public final class RunWakes<P extends HasMetadata> extends AbstractEventSource<ArkRun, P>
        implements SharedRuns.Listener {
    /** As long as JOSDK waits for an informer of its own to sync. */
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

    private final SharedRuns runs;
    private final SecondaryToPrimaryMapper<ArkRun> toPrimaries;
    private final OnUpdateFilter<ArkRun> wakesOnUpdate;

    /**
     * @param toPrimaries   the objects a run wakes
     * @param wakesOnUpdate whether a run's update wakes them (new copy first, as JOSDK's filters take it)
     */
    public RunWakes(SharedRuns runs, SecondaryToPrimaryMapper<ArkRun> toPrimaries, OnUpdateFilter<ArkRun> wakesOnUpdate) {
        super(ArkRun.class, "runs");
        this.runs = runs;
        this.toPrimaries = toPrimaries;
        this.wakesOnUpdate = wakesOnUpdate;
        runs.listen(this);
    }

    /** Started once the runs' cache has synced, as its own informer would be: the first reconciles read every run. */
    @Override
    public void start() {
        runs.awaitSynced(SYNC_TIMEOUT);
        super.start();
    }

    @Override
    public void added(ArkRun run) {
        wake(run);
    }

    @Override
    public void updated(ArkRun now, ArkRun before) {
        if (wakesOnUpdate.accept(now, before)) {
            wake(now);
        }
    }

    @Override
    public void deleted(ArkRun run) {
        wake(run);
    }

    private void wake(ArkRun run) {
        if (isRunning()) {
            toPrimaries.toPrimaryResourceIDs(run).forEach(id -> getEventHandler().handleEvent(new Event(id)));
        }
    }

    /** The runs of the cache that map to this object. */
    @Override
    public Set<ArkRun> getSecondaryResources(P primary) {
        ResourceID id = ResourceID.fromResource(primary);
        return runs.list(primary.getMetadata().getNamespace(), run -> toPrimaries.toPrimaryResourceIDs(run).contains(id))
                .collect(Collectors.toSet());
    }
}
