package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.operator.Hashes;
import dev.arkonis.ark.operator.ReconcileErrors;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ConfigMaps and Secrets that agents' pods read by reference (prompt refs, MCP header Secrets), known to the
 * operator only as a fingerprint of each value. Each is read by name when an agent first needs it, and read again
 * every {@code REFERENCE_RECHECK_SECONDS}: so no watch on a namespace's Secrets or ConfigMaps is needed, and none of
 * their values is kept. A changed fingerprint is an event for the agents that use it, which rolls their pods.
 */
final class ReferencedData extends AbstractEventSource<ReferencedData.Values, ArkAgent> {
    static final String MISSING = "<missing>";
    private static final Logger LOG = LoggerFactory.getLogger("operator");

    /** Fingerprints of the values one agent's pods read by reference, by reference. */
    record Values(Map<DataRef, String> fingerprints) {
        String of(DataRef ref) {
            return fingerprints.getOrDefault(ref, MISSING);
        }
    }

    private record Source(DataRef.Kind kind, String namespace, String name) {
    }

    /** What one ConfigMap or Secret holds, as a fingerprint per key; a missing object holds nothing. */
    private record Fingerprints(boolean exists, Map<String, String> byKey) {
        static final Fingerprints ABSENT = new Fingerprints(false, Map.of());

        String of(String key) {
            return !exists ? MISSING : byKey.getOrDefault(key, Hashes.ofText("<no key>"));
        }
    }

    private final KubernetesClient client;
    private final IndexerResourceCache<ArkAgent> agents;
    private final Duration recheck;
    private final Map<Source, Fingerprints> known = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService executor;

    ReferencedData(KubernetesClient client, IndexerResourceCache<ArkAgent> agents, Duration recheck) {
        super(Values.class, "referenced-data");
        this.client = client;
        this.agents = agents;
        this.recheck = recheck;
    }

    @Override
    public synchronized void start() throws OperatorException {
        if (isRunning()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ark-referenced-data"));
        executor.scheduleWithFixedDelay(this::recheck, recheck.toMillis(), recheck.toMillis(), TimeUnit.MILLISECONDS);
        super.start();
    }

    @Override
    public synchronized void stop() throws OperatorException {
        super.stop();
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** The agent's references with the fingerprints last read; one read for the first time is read now, by name. */
    @Override
    public Set<Values> getSecondaryResources(ArkAgent agent) {
        if (agent.getSpec() == null) {
            return Set.of();
        }
        Map<DataRef, String> values = new HashMap<>();
        for (DataRef ref : DataRef.of(agent.getSpec())) {
            Source source = sourceOf(agent, ref);
            Fingerprints read = known.get(source);
            if (read == null) {
                read = fetch(source);
                known.putIfAbsent(source, read);
            }
            values.put(ref, read.of(ref.key()));
        }
        return Set.of(new Values(values));
    }

    /** Reads every object some agent refers to again; forgets those no agent refers to any more. */
    private void recheck() {
        try {
            Map<Source, Set<ResourceID>> users = new HashMap<>();
            agents.list().filter(a -> a.getSpec() != null).forEach(agent -> DataRef.of(agent.getSpec()).forEach(ref ->
                    users.computeIfAbsent(sourceOf(agent, ref), s -> new HashSet<>()).add(ResourceID.fromResource(agent))));
            known.keySet().retainAll(users.keySet());
            users.forEach(this::recheck);
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again
            LOG.warn("re-reading referenced ConfigMaps and Secrets failed: {}", ReconcileErrors.describe(e));
        }
    }

    private void recheck(Source source, Set<ResourceID> users) {
        Fingerprints now;
        try {
            now = fetch(source);
        } catch (RuntimeException e) {
            LOG.warn("cannot read {} {}/{} to see whether it changed: {}", source.kind() == DataRef.Kind.SECRET
                    ? "Secret" : "ConfigMap", source.namespace(), source.name(), ReconcileErrors.describe(e));
            return;
        }
        Fingerprints before = known.put(source, now);
        if (before != null && !before.equals(now)) {
            users.forEach(id -> getEventHandler().handleEvent(new Event(id)));
        }
    }

    private Fingerprints fetch(Source source) {
        return switch (source.kind()) {
            case SECRET -> {
                Secret secret = client.secrets().inNamespace(source.namespace()).withName(source.name()).get();
                yield secret == null ? Fingerprints.ABSENT : fingerprints(secret.getData(), secret.getStringData());
            }
            case CONFIG_MAP -> {
                ConfigMap map = client.configMaps().inNamespace(source.namespace()).withName(source.name()).get();
                yield map == null ? Fingerprints.ABSENT : fingerprints(map.getData(), map.getBinaryData());
            }
        };
    }

    /** A key of {@code data} wins over the same key of {@code other} (stringData, binaryData), as the kubelet reads them. */
    private static Fingerprints fingerprints(Map<String, String> data, Map<String, String> other) {
        Map<String, String> byKey = new HashMap<>();
        for (var part : List.of(Map.entry("o:", other == null ? Map.<String, String>of() : other),
                Map.entry("d:", data == null ? Map.<String, String>of() : data))) {
            part.getValue().forEach((key, value) -> byKey.put(key, Hashes.ofText(part.getKey() + value)));
        }
        return new Fingerprints(true, Map.copyOf(byKey));
    }

    private static Source sourceOf(ArkAgent agent, DataRef ref) {
        return new Source(ref.kind(), agent.getMetadata().getNamespace(), ref.name());
    }
}
