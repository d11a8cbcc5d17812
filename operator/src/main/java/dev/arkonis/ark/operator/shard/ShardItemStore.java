package dev.arkonis.ark.operator.shard;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.stream.Stream;

/**
 * A controller's cache of its primary objects that holds them all but finds by name only those of the shards this
 * replica holds: JOSDK reconciles only what its cache finds, so events from any source (a Deployment's status, a
 * result, a timer) about an object of another shard start nothing here. Listing still sees everything, so the
 * informer's own bookkeeping (a relist's deletions) stays whole and a shard won later is found at once.
 */
public final class ShardItemStore<R extends HasMetadata> implements ItemStore<R> {
    private final ItemStore<R> all;
    private final ShardOwnership ownership;

    public ShardItemStore(ShardOwnership ownership) {
        this(ownership, new BasicItemStore<>(Cache::metaNamespaceKeyFunc));
    }

    /** @param all what holds the objects (a controller's own store, such as the runs' that trims them) */
    public ShardItemStore(ShardOwnership ownership, ItemStore<R> all) {
        this.ownership = ownership;
        this.all = all;
    }

    @Override
    public String getKey(R obj) {
        return all.getKey(obj);
    }

    @Override
    public R put(String key, R obj) {
        return all.put(key, obj);
    }

    @Override
    public R remove(String key) {
        return all.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return all.keySet();
    }

    @Override
    public Stream<R> values() {
        return all.values();
    }

    @Override
    public R get(String key) {
        // keys are "<namespace>/<name>" (the informer's metaNamespaceKeyFunc)
        int slash = key.indexOf('/');
        return ownership.owns(slash < 0 ? "" : key.substring(0, slash)) ? all.get(key) : null;
    }

    @Override
    public int size() {
        return all.size();
    }
}
