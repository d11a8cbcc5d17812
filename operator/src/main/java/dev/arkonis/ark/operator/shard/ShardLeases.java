package dev.arkonis.ark.operator.shard;

import dev.arkonis.ark.concurrent.DaemonThreads;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
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
 * survivors a moment after its Leases lapse. A replica that holds none and finds none free asks for one: it marks a
 * Lease of the replica holding the most ({@value #WANTED_BY}: its name and the time), and that replica, if it holds
 * more than one, hands its shards back by calling {@code handBack} (the process stops, releasing them, and its fresh
 * process rejoins): so a replica that started late, or came back, gets its share. Losing a held Lease calls
 * {@code lost} (the process then exits, as with the single Lease); closing releases the held Leases so a successor
 * takes them at once.
 */
public final class ShardLeases implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    /** The annotation a replica without a shard puts on a Lease of one holding several. */
    public static final String WANTED_BY = "arkonis.dev/wanted-by";
    /** The annotation a replica puts on its Leases when it hands them back: its fresh process comes for them. */
    public static final String HANDED_BACK = "arkonis.dev/handed-back";
    /** How long a handed-back Lease waits for the fresh process of the replica that handed it back. */
    private static final Duration HANDED_BACK_WAIT = Duration.ofSeconds(60);

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
    private final Runnable handBack;
    private final Map<Integer, CompletableFuture<?>> electing = new ConcurrentHashMap<>();
    private final Map<Integer, Instant> freeSince = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2,
            DaemonThreads.named("ark-shard-leases"));
    private volatile boolean closed;

    public ShardLeases(KubernetesClient client, String namespace, String identity, ShardOwnership ownership,
                       Timing timing, Clock clock, Runnable lost, Runnable handBack) {
        this.handBack = handBack;
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
     * Lease duration per shard held while the Lease was never taken, or was handed back lately (replicas starting or
     * coming back: the others get their turn); two retry periods per shard held once its holder died or left (take
     * it over soon).
     */
    static Duration patience(int held, boolean holderGone, Timing timing) {
        Duration each = holderGone ? timing.retryPeriod().multipliedBy(2) : timing.leaseDuration();
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
        try {
            balance();
        } catch (KubernetesClientException e) {
            LOG.warn("balancing shards failed: {}", e.getMessage());
        }
    }

    /** Without a shard and none free, asks the replica holding the most for one; holding several, gives them back. */
    private void balance() {
        if (closed || !electing.isEmpty() && ownership.held().isEmpty()) {
            return;
        }
        List<Lease> leases = new ArrayList<>();
        for (int shard = 0; shard < ownership.shards().count(); shard++) {
            Lease lease = client.leases().inNamespace(namespace).withName(Shards.leaseName(shard)).get();
            if (lease == null || isFree(record(lease), clock.instant())) {
                return; // a free shard goes by patience, not by asking
            }
            leases.add(lease);
        }
        Map<String, Long> heldBy = leases.stream().collect(Collectors.groupingBy(ShardLeases::holder,
                Collectors.counting()));
        Instant now = clock.instant();
        if (ownership.held().isEmpty()) {
            heldBy.entrySet().stream().filter(e -> e.getValue() > 1).max(Map.Entry.comparingByValue())
                    .flatMap(most -> leases.stream().filter(l -> holder(l).equals(most.getKey())).findFirst())
                    .filter(lease -> ageOf(annotation(lease, WANTED_BY), now) >= timing.retryPeriod().multipliedBy(2).toMillis())
                    .ifPresent(lease -> annotate(lease, WANTED_BY, identity + "@" + now.toEpochMilli()));
            return;
        }
        if (ownership.held().size() > 1 && leases.stream().filter(l -> identity.equals(holder(l)))
                .map(l -> annotation(l, WANTED_BY))
                .anyMatch(wanted -> isAsking(wanted, heldBy, now))) {
            LOG.info("a replica without a shard asks for one: handing shards {} back", ownership.held());
            closed = true;
            try {
                leases.stream().filter(l -> identity.equals(holder(l)))
                        .forEach(l -> annotate(l, HANDED_BACK, Long.toString(now.toEpochMilli())));
            } finally {
                handBack.run();
            }
        }
    }

    /** Asked lately, by a replica that holds no shard (so not by this one, nor by one that got its share since). */
    private boolean isAsking(String wanted, Map<String, Long> heldBy, Instant now) {
        if (wanted == null || wanted.indexOf('@') < 0) {
            return false;
        }
        String asker = wanted.substring(0, wanted.lastIndexOf('@'));
        return !asker.equals(identity) && !heldBy.containsKey(asker)
                && ageOf(wanted, now) < timing.retryPeriod().multipliedBy(3).toMillis();
    }

    /** Milliseconds since an ask ({@code <replica>@<epoch ms>}) was made; the longest for none. */
    private static long ageOf(String wanted, Instant now) {
        try {
            return wanted == null ? Long.MAX_VALUE
                    : now.toEpochMilli() - Long.parseLong(wanted.substring(wanted.lastIndexOf('@') + 1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A merge patch of the annotation alone: no resource version, so it never conflicts with a renewal. */
    private void annotate(Lease lease, String key, String value) {
        client.leases().inNamespace(namespace).withName(lease.getMetadata().getName()).patch(
                PatchContext.of(PatchType.JSON_MERGE), new LeaseBuilder().withNewMetadata().addToAnnotations(key, value)
                        .endMetadata().build());
    }

    private static String annotation(Lease lease, String key) {
        return lease == null || lease.getMetadata().getAnnotations() == null ? null
                : lease.getMetadata().getAnnotations().get(key);
    }

    private static String holder(Lease lease) {
        return lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null ? ""
                : lease.getSpec().getHolderIdentity();
    }

    private static LeaderElectionRecord record(Lease lease) {
        var spec = lease.getSpec();
        if (spec == null || spec.getRenewTime() == null || spec.getLeaseDurationSeconds() == null) {
            return null;
        }
        return new LeaderElectionRecord(spec.getHolderIdentity(), Duration.ofSeconds(spec.getLeaseDurationSeconds()),
                spec.getAcquireTime(), spec.getRenewTime(), spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions());
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
        boolean holderGone = lease != null && !handedBackLately(
                client.leases().inNamespace(namespace).withName(Shards.leaseName(shard)).get(), now);
        // a shard being elected counts as held: one look goes for one shard at a time
        int held = ownership.held().size() + (int) electing.keySet().stream().filter(s -> !ownership.holds(s)).count();
        if (Duration.between(since, now).compareTo(patience(held, holderGone, timing)) >= 0) {
            elect(shard, lock);
        }
    }

    private static boolean handedBackLately(Lease lease, Instant now) {
        String at = annotation(lease, HANDED_BACK);
        try {
            return at != null && now.toEpochMilli() - Long.parseLong(at) < HANDED_BACK_WAIT.toMillis();
        } catch (NumberFormatException e) {
            return false;
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
