package dev.arkonis.ark.flow;

import java.util.List;
import java.util.Optional;

/**
 * Whether a {@code delegate} call may become a child step: the target is a role the caller may delegate to, it does
 * not close a cycle, it stays within the depth limit, the task has text of a bounded size, and the run has budget and
 * room for one more. A refusal is a sentence the caller's model reads as the tool's result.
 */
final class DelegationRules {
    /** Hops allowed below the entry task when no registry policy says otherwise. */
    static final int DEFAULT_MAX_DEPTH = 3;
    /** Delegated steps one run may make: each is a step of its status. */
    static final int MAX_CHILDREN = 50;
    /** A delegated task's text is kept in the run's status, so it is bounded. */
    static final int MAX_TASK_CHARS = 16_000;

    private DelegationRules() {
    }

    /**
     * @param chain       the roles from the run's entry task down to the caller, the caller last
     * @param allowed     the roles the caller may delegate to (its canDelegate)
     * @param budgetSpent the run's token budget is spent, in words, or null
     * @param stopping    why the run starts no new work, or null
     */
    static Optional<String> refusal(List<String> chain, List<String> allowed, String target, String task, int depth,
                                    int maxDepth, int children, String budgetSpent, String stopping) {
        String caller = chain.get(chain.size() - 1);
        if (target == null || target.isBlank()) {
            return Optional.of("say which role to delegate to (role: one of " + String.join(", ", allowed) + ")");
        }
        if (!allowed.contains(target)) {
            return Optional.of("\"" + target + "\" is not a role " + caller + " may delegate to (it may delegate to: "
                    + (allowed.isEmpty() ? "none" : String.join(", ", allowed)) + ")");
        }
        if (chain.contains(target)) {
            return Optional.of("delegation cycle: " + String.join(" -> ", chain) + " -> " + target
                    + "; a role cannot delegate back to one that is waiting on it");
        }
        if (depth > maxDepth) {
            return Optional.of("delegation depth limit of " + maxDepth + " reached (" + String.join(" -> ", chain) + " -> "
                    + target + "); do the task yourself");
        }
        if (task == null || task.isBlank()) {
            return Optional.of("the task is empty; say what " + target + " should do");
        }
        if (task.length() > MAX_TASK_CHARS) {
            return Optional.of("the task is " + task.length() + " characters long, more than the " + MAX_TASK_CHARS
                    + " a delegated task may have");
        }
        if (budgetSpent != null) {
            return Optional.of(budgetSpent);
        }
        if (stopping != null) {
            return Optional.of(stopping);
        }
        if (children >= MAX_CHILDREN) {
            return Optional.of("this run has delegated " + children + " tasks, the most one run may");
        }
        return Optional.empty();
    }
}
