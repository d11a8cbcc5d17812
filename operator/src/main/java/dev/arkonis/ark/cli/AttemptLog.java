package dev.arkonis.ark.cli;

import dev.arkonis.ark.local.Attempt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every attempt of every step, in order, for {@code -o json}: raw replies and why they did not count. */
final class AttemptLog {
    private final Map<String, List<Attempt>> byStep = new LinkedHashMap<>();

    synchronized void add(Attempt attempt) {
        byStep.computeIfAbsent(attempt.step(), s -> new ArrayList<>()).add(attempt);
    }

    synchronized List<Attempt> of(String step) {
        return List.copyOf(byStep.getOrDefault(step, List.of()));
    }
}
