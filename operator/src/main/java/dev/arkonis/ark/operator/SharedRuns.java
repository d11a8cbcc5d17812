package dev.arkonis.ark.operator;

import dev.arkonis.ark.api.ArkRun;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's one watch of ArkRuns, shared: the informer of the controller whose objects runs are (the run
 * controller, or {@link RunCacheKeeper} in an operator that runs none). Every other controller that cares about runs
 * (a team's history, an ArkEvent watching a team's runs) is woken from it ({@link RunWakes}) and reads its cache, so
 * each write of a run is sent and parsed once, not once per controller.
 */
public final class SharedRuns {
    private static final Logger LOG = LoggerFactory.getLogger("operator");

    /** What hears every change of a run, on the informer's thread: it must be quick and must not block. */
    interface Listener {
        void added(ArkRun run);

        void updated(ArkRun now, ArkRun before);

        void deleted(ArkRun run);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<IndexedResourceCache<ArkRun>> synced = new CompletableFuture<>();

    /**
     * The event source the runs' controller registers: once its informer has synced, the cache is readable here and
     * every change it sees goes to the listeners.
     */
    public EventSource<?, ArkRun> source(EventSourceContext<ArkRun> context) {
        return new Feed(context.getPrimaryCache());
    }

    /**
     * The runs of a namespace, as the runs' controller's cache holds them (with shards, none of a namespace another
     * replica leads).
     */
    public Stream<ArkRun> list(String namespace, Predicate<ArkRun> predicate) {
        IndexedResourceCache<ArkRun> cache = synced.getNow(null);
        return cache == null ? Stream.empty() : cache.list(namespace, predicate);
    }

    void listen(Listener listener) {
        listeners.add(listener);
    }

    /** Returns once the runs' cache holds every run: a controller reading it must not start before. */
    void awaitSynced(Duration timeout) {
        try {
            synced.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OperatorException("the ArkRun cache did not sync within " + timeout.toSeconds() + "s");
        } catch (ExecutionException e) {
            throw new OperatorException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperatorException(e);
        }
    }

    /** Nothing: the feed finds no secondary object, it only passes changes on. */
    record Change() {
    }

    /** Started after the controller's own informer, so only once it has synced (JOSDK starts that one first). */
    private final class Feed extends AbstractEventSource<Change, ArkRun> implements ResourceEventAware<ArkRun> {
        private final IndexedResourceCache<ArkRun> cache;

        Feed(IndexedResourceCache<ArkRun> cache) {
            super(Change.class, "sharedruns");
            this.cache = cache;
        }

        @Override
        public void start() {
            super.start();
            synced.complete(cache);
        }

        @Override
        public Set<Change> getSecondaryResources(ArkRun run) {
            return Set.of();
        }

        @Override
        public void onResourceCreated(ArkRun run) {
            tell(listener -> listener.added(run));
        }

        @Override
        public void onResourceUpdated(ArkRun now, ArkRun before) {
            tell(listener -> listener.updated(now, before));
        }

        @Override
        public void onResourceDeleted(ArkRun run) {
            tell(listener -> listener.deleted(run));
        }

        /** A listener that fails is logged, never let through to the run controller's own handling of the event. */
        private void tell(Consumer<Listener> call) {
            for (Listener listener : listeners) {
                try {
                    call.accept(listener);
                } catch (RuntimeException e) {
                    LOG.warn("a controller watching runs failed on a run's change: {}", e.toString());
                }
            }
        }
    }
}
