package dev.arkonis.ark.operator.shard;

import dev.arkonis.ark.concurrent.DaemonThreads;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wins and keeps the Leases of shards, with fabric8's LeaderElector (one per shard this replica goes for). Every
 * retry period it reads the Leases of the shards it does not hold; a free one (never held, released, or not renewed
 * within its duration) is gone for at once by a replica that holds none, and by one that holds {@code k} after
 * {@link #patience}: so replicas that start together take one shard each, and a dead replica's shards go to the
 * survivors a moment after its Leases lapse. Losing a held Lease calls {@code lost} (the process then exits, as with
 * the single Lease); closing releases the held Leases so a successor takes them at once.
 */
public final class ShardLeases implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("operator");

    /** The Leases' timing: JOSDK's defaults, as the single {@code ark-operator} Lease uses. */
    public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        public static final Timing DEFAULT = new Timing(LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE);
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String identity;
    private final ShardOwnership ownership;
    private final Timing timing;
    private final Clock clock;
    private final Runnable lost;
    private final Map<Integer, CompletableFuture<?>> electing = new ConcurrentHashMap<>();
    private final Map<Integer, Instant> freeSince = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2,
            DaemonThreads.named("ark-shard-leases"));
    private volatile boolean closed;

    public ShardLeases(KubernetesClient client, String namespace, String identity, ShardOwnership ownership,
                       Timing timing, Clock clock, Runnable lost) {
        this.client = client;
        this.namespace = namespace;
        this.identity = identity;
        this.ownership = ownership;
        this.timing = timing;
        this.clock = clock;
        this.lost = lost;
    }

    public ShardLeases start() {
        scheduler.scheduleWithFixedDelay(this::look, 0, timing.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * How long a free shard waits for a replica that holds {@code held} shards: none for a replica with none; one
     * Lease duration per shard held while the Lease was never taken (replicas starting: the others get their turn);
     * two retry periods per shard held once it was (its holder died or left: take it over soon).
     */
    static Duration patience(int held, boolean everHeld, Timing timing) {
        Duration each = everHeld ? timing.retryPeriod().multipliedBy(2) : timing.leaseDuration();
        return each.multipliedBy(held);
    }

    /** Nobody holds it: never taken, released, or not renewed within its duration. */
    static boolean isFree(LeaderElectionRecord lease, Instant now) {
        return lease == null || lease.getHolderIdentity() == null || lease.getHolderIdentity().isEmpty()
                || now.isAfter(lease.getRenewTime().toInstant().plus(lease.getLeaseDuration()));
    }

    private void look() {
        for (int shard = 0; shard < ownership.shards().count() && !closed; shard++) {
            if (ownership.holds(shard) || electing.containsKey(shard)) {
                continue;
            }
            try {
                consider(shard);
            } catch (KubernetesClientException e) {
                LOG.warn("reading Lease {}/{} failed: {}", namespace, Shards.leaseName(shard), e.getMessage());
            }
        }
    }

    private void consider(int shard) {
        LeaseLock lock = new LeaseLock(namespace, Shards.leaseName(shard), identity);
        LeaderElectionRecord lease = lock.get(client);
        Instant now = clock.instant();
        if (!isFree(lease, now)) {
            freeSince.remove(shard);
            return;
        }
        Instant since = freeSince.computeIfAbsent(shard, s -> now);
        if (Duration.between(since, now).compareTo(patience(ownership.held().size(), lease != null, timing)) >= 0) {
            elect(shard, lock);
        }
    }

    private void elect(int shard, LeaseLock lock) {
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> {
                    LOG.info("leading shard {}: this replica holds Lease {}/{}", shard, namespace, Shards.leaseName(shard));
                    ownership.acquired(shard);
                },
                () -> {
                    if (!closed && ownership.holds(shard)) {
                        LOG.error("lost Lease {}/{}", namespace, Shards.leaseName(shard));
                        lost.run();
                    }
                },
                leader -> { });
        LeaderElectionConfig config = new LeaderElectionConfig(lock, timing.leaseDuration(), timing.renewDeadline(),
                timing.retryPeriod(), callbacks, true, Shards.leaseName(shard));
        CompletableFuture<?> election = client.leaderElector().withConfig(config).build().start();
        electing.put(shard, election);
        freeSince.remove(shard);
        // another replica won it first: stop waiting behind it, the next look decides again
        scheduler.schedule(() -> {
            if (!ownership.holds(shard)) {
                election.cancel(true);
                electing.remove(shard);
            }
        }, timing.retryPeriod().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Releases the held Leases (a successor takes them at once) and stops looking. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        electing.values().forEach(election -> election.cancel(true));
    }
}
