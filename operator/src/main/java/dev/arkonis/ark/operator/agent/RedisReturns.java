package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.ArkAgent;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Redis coming back after a lost connection, as an event for every agent: it may have restarted, and ACL users live
 * in its memory only, so each agent's user is set again (as consumer groups are created again after a loss of data).
 */
final class RedisReturns extends AbstractEventSource<RedisReturns.Return, ArkAgent> {
    /** How many times Redis came back so far. */
    record Return(long count) {
    }

    private final AtomicLong returns = new AtomicLong();
    private volatile IndexedResourceCache<ArkAgent> agents;

    RedisReturns() {
        super(Return.class, "redis-returns");
    }

    void bind(IndexedResourceCache<ArkAgent> primaryCache) {
        this.agents = primaryCache;
    }

    void redisReturned() {
        returns.incrementAndGet();
        IndexedResourceCache<ArkAgent> known = agents;
        if (known != null && isRunning()) {
            known.list().forEach(agent -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(agent))));
        }
    }

    @Override
    public Set<Return> getSecondaryResources(ArkAgent agent) {
        return Set.of(new Return(returns.get()));
    }
}
