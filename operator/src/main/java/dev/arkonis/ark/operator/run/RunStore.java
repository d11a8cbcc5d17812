package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The run controller's cache of runs, kept without their {@code managedFields}: the API server's record of which
 * client wrote which field, a tree of maps per writer that ark never reads and that was the largest part of a cached
 * run (BENCHMARKS.md, "Memory under the chart's limit"). Writes send no managedFields, which leaves the server's as
 * they are.
 */
public final class RunStore extends BasicItemStore<ArkRun> {
    public RunStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public ArkRun put(String key, ArkRun run) {
        run.getMetadata().setManagedFields(null);
        return super.put(key, run);
    }
}
