package dev.arkonis.ark.flow;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The agents a run may hand work to beyond its team's roles, as its transport sees them when the engine decides: the
 * namespace's ArkAgents that a registry indexes for this run (standalone ones, the run's own team's, and other
 * teams' only when the registry allows it), how busy each is, and the registry policy that applies.
 */
public interface AgentDirectory {
    /** Nothing but the team's own roles: no registry, the default depth limit. */
    AgentDirectory NONE = new StaticDirectory(null, List.of(), null, null, agent -> 0);

    /** The run's team, or null when the engine need not name its agents. */
    String team();

    /** Agents with capabilities that routing and registryLookup steps choose from, in name order. */
    List<DirectoryAgent> indexed();

    /** Every agent this run may use, with capabilities or not, in name order. */
    List<DirectoryAgent> all();

    /** Any agent this run may use, by ArkAgent name (fallbacks). */
    Optional<DirectoryAgent> find(String agent);

    /** Tasks queued for the agent or in progress there: what least-busy compares. */
    int load(AgentRef agent);

    /** Successive turns of a round-robin over {@code key}: 0, 1, 2, ... shared by every run it serves. */
    int turn(String key);

    /** Delegation hops allowed below the entry task by the registry policy that applies, if one does. */
    OptionalInt maxDepth();

    /** Why the registry a routed team names cannot be used (not found), if it cannot. */
    Optional<String> registryProblem();
}
