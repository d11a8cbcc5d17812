package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.stream.Stream;

/**
 * The run controller's cache of runs, kept without their {@code managedFields}: the API server's record of which
 * client wrote which field, a tree of maps per writer that ark never reads and that was the largest part of a cached
 * run (BENCHMARKS.md, "Memory under the chart's limit"). Writes send no managedFields, which leaves the server's as
 * they are.
 */
public final class RunStore implements ItemStore<ArkRun> {
    private final BasicItemStore<ArkRun> runs = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

    @Override
    public String getKey(ArkRun run) {
        return runs.getKey(run);
    }

    @Override
    public ArkRun put(String key, ArkRun run) {
        run.getMetadata().setManagedFields(null);
        return runs.put(key, run);
    }

    @Override
    public ArkRun remove(String key) {
        return runs.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return runs.keySet();
    }

    @Override
    public Stream<ArkRun> values() {
        return runs.values();
    }

    @Override
    public int size() {
        return runs.size();
    }

    @Override
    public ArkRun get(String key) {
        return runs.get(key);
    }
}
