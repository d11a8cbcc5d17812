package dev.arkonis.ark.dashboard.view;

import java.util.List;

/**
 * A step as the graph draws it: its name, what it depends on, its phase and what the node says under the name
 * (duration, tokens, iterations of a loop, why it was skipped), and where its details are.
 */
public record GraphStep(String name, String role, List<String> dependsOn, String phase, String note, boolean loop,
        int iterations, String href) {
    public GraphStep {
        dependsOn = List.copyOf(dependsOn);
    }
}
