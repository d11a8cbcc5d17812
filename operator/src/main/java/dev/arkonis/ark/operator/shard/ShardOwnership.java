package dev.arkonis.ark.operator.shard;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * The shards this replica leads, and so the namespaces whose objects it reconciles and whose results it reads.
 * Shards are only gained while the process lives: losing one ends the process (a fresh one rejoins), so nothing
 * ever has to be handed back half done.
 */
public final class ShardOwnership {
    private final Shards shards;
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();
    private final List<IntConsumer> onAcquired = new CopyOnWriteArrayList<>();

    private ShardOwnership(Shards shards) {
        this.shards = shards;
    }

    /** One shard, held from the start: every namespace is this replica's (the one Lease decides whether it runs). */
    public static ShardOwnership whole() {
        ShardOwnership whole = new ShardOwnership(Shards.ONE);
        whole.held.add(0);
        return whole;
    }

    /** None held yet; {@link ShardLeases} adds them as their Leases are won. */
    public static ShardOwnership of(Shards shards) {
        return shards.sharded() ? new ShardOwnership(shards) : whole();
    }

    public Shards shards() {
        return shards;
    }

    public boolean owns(String namespace) {
        return held.contains(shards.of(namespace));
    }

    public boolean holds(int shard) {
        return held.contains(shard);
    }

    public Set<Integer> held() {
        return Set.copyOf(held);
    }

    /** The namespaces of one shard. */
    public Predicate<String> namespacesOf(int shard) {
        return namespace -> shards.of(namespace) == shard;
    }

    /** Called with each shard once it is won, after {@link #owns} counts it. */
    public void onAcquired(IntConsumer listener) {
        onAcquired.add(listener);
    }

    void acquired(int shard) {
        if (held.add(shard)) {
            onAcquired.forEach(listener -> listener.accept(shard));
        }
    }
}
