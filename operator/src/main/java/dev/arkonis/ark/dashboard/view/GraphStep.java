package dev.arkonis.ark.dashboard.view;

import java.util.ArrayList;
import java.util.List;

/**
 * A step as the graph draws it: its name, what it depends on, its phase and what the node says under the name
 * (duration, tokens, iterations of a loop, why it was skipped), and where its details are.
 *
 * @param parent     the step whose delegate call made this one; null for the team's own steps
 * @param agent      the ArkAgent routing or a registryLookup chose to run it; null for a step of its role
 * @param capability the capability that agent was chosen by; null when a fallback took the step
 */
public record GraphStep(String name, String role, List<String> dependsOn, String phase, String note, boolean loop,
        int iterations, String href, String parent, String agent, String capability) {
    public GraphStep {
        dependsOn = List.copyOf(dependsOn);
    }

    /** A step of the team's own, run by its role. */
    public GraphStep(String name, String role, List<String> dependsOn, String phase, String note, boolean loop,
            int iterations, String href) {
        this(name, role, dependsOn, phase, note, loop, iterations, href, null, null, null);
    }

    /** The steps drawn left of this one: those it depends on, and the step that delegated it. */
    public List<String> before() {
        if (parent == null) {
            return dependsOn;
        }
        List<String> before = new ArrayList<>(dependsOn);
        before.add(parent);
        return before;
    }
}
