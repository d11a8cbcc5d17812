package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.queue.Backoff;
import dev.arkonis.ark.queue.ResultDelivery;
import dev.arkonis.ark.queue.ResultReader;
import dev.arkonis.ark.queue.RunTransport;
import dev.arkonis.ark.telemetry.Telemetry;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import dev.arkonis.ark.operator.shard.Shards;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results on the result streams as events for their runs, started and stopped by JOSDK with the controller (so a
 * standby replica reads nothing). One thread blocks on the streams through the operator's consumer group (no scans,
 * no polling; with no stream to watch it simply waits) and hands each result to its run as a secondary resource,
 * {@link PendingResults}, once {@link ResultTrust} finds that the stream it came on vouches for that run (others are
 * dropped, counted and logged). A result for an attempt the cached copy of its run has not recorded yet (an agent
 * can answer before the watch brings the status that sent the task) waits, unacknowledged, and is judged again on
 * newer copies. Results of runs that no longer exist are acknowledged and dropped. On starting, it
 * takes over at once every result an earlier leader read and never acknowledged (applied or not: a run ignores what
 * its status already holds, so each is acknowledged in the end). When the transport
 * finds Redis lost its data (consumer groups missing), or another Redis history (a replica promoted, a restart: the
 * last writes may be gone), every unfinished run is told, so it sends its lost tasks again.
 */
public final class ResultEventSource extends AbstractEventSource<PendingResults, ArkRun> {
    static final String RUN = "run";
    static final String NAMESPACE = "namespace";
    static final String STEP = "step";
    static final String ATTEMPT = "attempt";
    static final String TEAM = "team";

    private static final Logger LOG = LoggerFactory.getLogger("operator");
    /** How long one read waits for results; also how late a missed wake-up (a new stream) can be. */
    private static final Duration BLOCK = Duration.ofSeconds(2);
    /** How long one read waits while some result waits for its run's cached copy to catch up. */
    private static final Duration RECHECK = Duration.ofMillis(50);
    /** A result whose attempt its run's status has not recorded by then was never sent: a forgery or a fault. */
    private static final Duration HOLD_LIMIT = Duration.ofMinutes(5);
    /** At most this many results wait for their runs' copies; beyond, they are dropped as untrusted. */
    private static final int HOLD_CAP = 10_000;

    private final RunTransport transport;
    private final Telemetry telemetry;
    private final RunInbox inbox = new RunInbox();
    private final List<Consumer<String>> resultListeners = new CopyOnWriteArrayList<>();
    private volatile IndexedResourceCache<ArkRun> runs;
    private volatile Function<ResourceID, Optional<ArkAgent>> agents = id -> Optional.empty();
    private volatile Thread thread;
    /** Results ahead of their run's cached copy, by stream and id, with when they were first read: the loop's own. */
    private final Map<String, Held> held = new LinkedHashMap<>();

    private record Held(ResultDelivery delivery, Instant since, ResourceID run, String judgedAt) {
    }
    private volatile CountDownLatch stopped = new CountDownLatch(0);
    private long dataLossesSeen;
    private volatile Predicate<String> namespaces = namespace -> true;

    /** @param telemetry counts the results that are not trusted */
    public ResultEventSource(RunTransport transport, Telemetry telemetry) {
        super(PendingResults.class, "results");
        this.transport = transport;
        this.telemetry = telemetry;
    }

    /** The runs this source serves; given by the controller before it starts the source. */
    void bind(IndexedResourceCache<ArkRun> primaryCache) {
        this.runs = primaryCache;
    }

    /** The agents as the run controller's cache has them: where a step an agent was chosen for sent its task. */
    void bindAgents(Function<ResourceID, Optional<ArkAgent>> cache) {
        this.agents = cache;
    }

    /** Called with the result stream of every result read, e.g. so that the role's budget is looked at now. */
    public void onResultFrom(Consumer<String> listener) {
        resultListeners.add(listener);
    }

    /** Only the result streams of these namespaces are this replica's (the shards it leads); default: all. */
    public void servesOnly(Predicate<String> served) {
        this.namespaces = served;
    }

    /** A shard was won: the results its earlier leader read and never acknowledged are taken over at once. */
    public void takeOver(Predicate<String> shardNamespaces) {
        transport.takeOver(stream -> shardNamespaces.test(Shards.namespaceOfStream(stream)));
    }

    @Override
    public synchronized void start() throws OperatorException {
        if (isRunning()) {
            return;
        }
        super.start();
        stopped = new CountDownLatch(1);
        dataLossesSeen = transport.losses();
        held.clear();
        // JOSDK starts this source once this replica leads: whoever read results before is gone
        Predicate<String> served = namespaces;
        transport.takeOver(stream -> served.test(Shards.namespaceOfStream(stream)));
        thread = new Thread(this::loop, "ark-results");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() throws OperatorException {
        if (!isRunning()) {
            return;
        }
        super.stop();
        stopped.countDown();
        transport.wakeUp();
        Thread reading = thread;
        if (reading != null) {
            reading.interrupt();
            try {
                reading.join(BLOCK.multipliedBy(2).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Set<PendingResults> getSecondaryResources(ArkRun run) {
        List<ResultDelivery> pending = inbox.peek(ResourceID.fromResource(run));
        return pending.isEmpty() ? Set.of() : Set.of(new PendingResults(pending));
    }

    /** How many times Redis was found to have lost its data; a run that saw fewer sends its waiting tasks again. */
    long dataLosses() {
        return transport.losses();
    }

    /** The run's status holds these results now (or they no longer matter): they are done with. */
    void acknowledge(ResourceID run, List<ResultDelivery> results) {
        results.forEach(transport::ack);
        inbox.remove(run, results);
    }

    /** The run is gone: what waits for it is acknowledged and dropped. */
    void forget(ResourceID run) {
        inbox.drop(run).forEach(transport::ack);
    }

    private void loop() {
        Backoff backoff = Backoff.forRedis();
        boolean failing = false;
        while (isRunning()) {
            try {
                List<ResultDelivery> results = transport.read(200, held.isEmpty() ? BLOCK : RECHECK);
                if (failing) {
                    LOG.info("reading results works again");
                    failing = false;
                }
                backoff.reset();
                route(results);
                noticeDataLoss();
            } catch (RuntimeException e) {
                if (!isRunning()) {
                    return;
                }
                if (!failing) {
                    LOG.warn("reading results failed, retrying: {}", e.getMessage());
                    failing = true;
                }
                try {
                    if (backoff.pause(stopped)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void route(List<ResultDelivery> read) {
        Set<ResourceID> touched = new LinkedHashSet<>();
        Set<String> streams = new LinkedHashSet<>();
        Instant now = Instant.now();
        List<ResultDelivery> results = new ArrayList<>(held.size() + read.size());
        // judged again only on a newer copy of its run, or to give up on it: not on every read
        held.values().stream().filter(h -> !versionOf(h.run()).equals(h.judgedAt())
                        || Duration.between(h.since(), now).compareTo(HOLD_LIMIT) >= 0)
                .forEach(h -> results.add(h.delivery()));
        results.addAll(read);
        for (ResultDelivery delivery : results) {
            String key = delivery.stream() + " " + delivery.id();
            Held waiting = held.remove(key);
            ResultTrust.Verdict verdict = ResultTrust.judge(delivery,
                    id -> runs == null ? Optional.empty() : runs.get(id), agents);
            if (verdict instanceof ResultTrust.Ahead ahead) {
                Instant since = waiting == null ? now : waiting.since();
                if (Duration.between(since, now).compareTo(HOLD_LIMIT) < 0 && held.size() < HOLD_CAP) {
                    held.put(key, new Held(delivery, since, ahead.run(), versionOf(ahead.run())));
                    continue;
                }
                verdict = new ResultTrust.Rejected(ResultTrust.Reason.RUN, Shards.namespaceOfStream(delivery.stream()),
                        "run " + ahead.run().getNamespace().orElse("") + "/" + ahead.run().getName()
                                + " never recorded attempt " + ahead.attempt() + " of step " + ahead.step());
            }
            streams.add(delivery.stream());
            if (verdict instanceof ResultTrust.Trusted trusted) {
                inbox.add(trusted.run(), delivery);
                touched.add(trusted.run());
                continue;
            }
            if (verdict instanceof ResultTrust.Rejected rejected) {
                // the stream's role cannot vouch for this: names and ids only, never the result's text
                LOG.warn("dropping result {} on {}: {} ({})", delivery.id(), delivery.stream(), rejected.detail(),
                        rejected.reason().label());
                telemetry.metrics().resultRejected(rejected.streamNamespace(), rejected.reason().label());
            }
            // rejected, or its run was deleted: acknowledged and discarded
            transport.ack(delivery);
        }
        touched.forEach(id -> getEventHandler().handleEvent(new Event(id)));
        for (String stream : streams) {
            for (Consumer<String> listener : resultListeners) {
                listener.accept(stream);
            }
        }
    }

    /** The resource version of the run's cached copy ("" if none): what a waiting result was last judged on. */
    private String versionOf(ResourceID run) {
        return (runs == null ? Optional.<ArkRun>empty() : runs.get(run))
                .map(r -> String.valueOf(r.getMetadata().getResourceVersion())).orElse("");
    }

    /** After a loss of Redis data every unfinished run looks again: its tasks in flight are gone. */
    private void noticeDataLoss() {
        long losses = transport.losses();
        if (losses == dataLossesSeen || runs == null) {
            return;
        }
        dataLossesSeen = losses;
        LOG.warn("Redis lost its data (consumer group {} missing) or may have lost its last writes (another replication"
                + " history: a failover or a restart); unfinished runs send again the tasks it no longer holds",
                ResultReader.GROUP);
        runs.list(run -> {
            RunStatus status = run.getStatus();
            return status != null && status.phase() != null && !status.phase().isFinished();
        }).forEach(run -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(run))));
    }
}
