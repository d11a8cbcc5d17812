package dev.arkonis.ark.flow;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * A directory over a fixed list of agents, with loads read from {@code loads} when asked and round-robin turns kept
 * here: what {@code ark run} and tests use, and the operator builds per reconcile.
 */
public final class StaticDirectory implements AgentDirectory {
    private final String team;
    private final List<DirectoryAgent> agents;
    private final Integer maxDepth;
    private final String registryProblem;
    private final ToIntFunction<AgentRef> loads;
    private final Map<String, AtomicInteger> turns;

    public StaticDirectory(String team, List<DirectoryAgent> agents, Integer maxDepth, String registryProblem,
                           ToIntFunction<AgentRef> loads) {
        this(team, agents, maxDepth, registryProblem, loads, new ConcurrentHashMap<>());
    }

    /** @param turns round-robin cursors by key, shared with other directories so turns go on across runs */
    public StaticDirectory(String team, List<DirectoryAgent> agents, Integer maxDepth, String registryProblem,
                           ToIntFunction<AgentRef> loads, Map<String, AtomicInteger> turns) {
        this.team = team;
        this.agents = agents.stream().sorted(Comparator.comparing(DirectoryAgent::name)).toList();
        this.maxDepth = maxDepth;
        this.registryProblem = registryProblem;
        this.loads = loads;
        this.turns = turns;
    }

    @Override
    public String team() {
        return team;
    }

    @Override
    public List<DirectoryAgent> indexed() {
        return agents.stream().filter(a -> !a.capabilities().isEmpty()).toList();
    }

    @Override
    public List<DirectoryAgent> all() {
        return agents;
    }

    @Override
    public Optional<DirectoryAgent> find(String agent) {
        return agents.stream().filter(a -> a.name().equals(agent)).findFirst();
    }

    @Override
    public int load(AgentRef agent) {
        return loads.applyAsInt(agent);
    }

    @Override
    public int turn(String key) {
        return turns.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement();
    }

    @Override
    public OptionalInt maxDepth() {
        return maxDepth == null ? OptionalInt.empty() : OptionalInt.of(maxDepth);
    }

    @Override
    public Optional<String> registryProblem() {
        return Optional.ofNullable(registryProblem);
    }
}
