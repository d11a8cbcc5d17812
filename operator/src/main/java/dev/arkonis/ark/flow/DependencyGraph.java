package dev.arkonis.ark.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The steps of a pipeline and their dependencies: cycles, ancestors, descendants. Unknown names are ignored. */
final class DependencyGraph {
    private final Map<String, List<String>> dependencies;
    private final Map<String, List<String>> dependents = new HashMap<>();

    DependencyGraph(Map<String, List<String>> dependencies) {
        this.dependencies = new LinkedHashMap<>(dependencies);
        dependencies.forEach((step, deps) -> deps.stream().filter(dependencies::containsKey).forEach(
                dep -> dependents.computeIfAbsent(dep, k -> new ArrayList<>()).add(step)));
    }

    /** A cycle as a path that starts and ends at the same step ({@code a -> b -> a}), if there is one. */
    Optional<List<String>> findCycle() {
        Set<String> done = new HashSet<>();
        for (String start : dependencies.keySet()) {
            List<String> cycle = visit(start, new LinkedHashSet<>(), done);
            if (cycle != null) {
                return Optional.of(cycle);
            }
        }
        return Optional.empty();
    }

    private List<String> visit(String step, LinkedHashSet<String> path, Set<String> done) {
        if (done.contains(step)) {
            return null;
        }
        if (path.contains(step)) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (String s : path) {
                in |= s.equals(step);
                if (in) {
                    cycle.add(s);
                }
            }
            cycle.add(step);
            return cycle;
        }
        path.add(step);
        for (String dep : dependencies.getOrDefault(step, List.of())) {
            if (dependencies.containsKey(dep)) {
                List<String> cycle = visit(dep, path, done);
                if (cycle != null) {
                    return cycle;
                }
            }
        }
        path.remove(step);
        done.add(step);
        return null;
    }

    /** Every step the given one depends on, directly or not. */
    Set<String> ancestors(String step) {
        return closure(step, dependencies);
    }

    /** Every step that depends on the given one, directly or not. */
    Set<String> descendants(String step) {
        return closure(step, dependents);
    }

    List<String> dependentsOf(String step) {
        return dependents.getOrDefault(step, List.of());
    }

    private static Set<String> closure(String from, Map<String, List<String>> edges) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> stack = new ArrayList<>(edges.getOrDefault(from, List.of()));
        while (!stack.isEmpty()) {
            String next = stack.remove(stack.size() - 1);
            if (seen.add(next)) {
                stack.addAll(edges.getOrDefault(next, List.of()));
            }
        }
        seen.remove(from);
        return Collections.unmodifiableSet(seen);
    }
}
