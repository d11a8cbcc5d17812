package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.flow.AgentDirectory;
import dev.arkonis.ark.flow.AgentRef;
import dev.arkonis.ark.flow.RegistryIndex;
import dev.arkonis.ark.queue.RunTransport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agents a run's engine may hand work to in a cluster, per reconcile: the namespace's ArkAgents under its
 * ArkRegistries, as {@link RegistryIndex} reads them (the same rule as {@code ark run}); how busy each is, read from
 * its queue when a least-busy lookup asks (once per agent and reconcile); round-robin turns shared by every run.
 */
final class RunDirectories {
    /** Counting a queue's work stops here: least-busy only compares. */
    private static final long LOAD_CAP = 10_000;

    private final RunTransport transport;
    private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();

    RunDirectories(RunTransport transport) {
        this.transport = transport;
    }

    AgentDirectory of(String namespace, String team, ArkTeamSpec spec, RunObservation.Namespace seen) {
        Map<String, Integer> loads = new ConcurrentHashMap<>();
        return RegistryIndex.directory(team, spec, seen.agents(), seen.registries(),
                (AgentRef ref) -> loads.computeIfAbsent(ref.queue(namespace, team),
                        queue -> (int) transport.work(queue, LOAD_CAP)), turns);
    }
}
