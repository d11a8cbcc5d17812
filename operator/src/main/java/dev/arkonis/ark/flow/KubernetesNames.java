package dev.arkonis.ark.flow;

import java.util.Optional;
import java.util.regex.Pattern;

/** Names that become Kubernetes object names, label values or parts of Redis keys, checked before they are used. */
final class KubernetesNames {
    /** Label values, and so team and agent names, are at most 63 characters. */
    static final int MAX_LABEL = 63;
    /** A run is named {@code <team>-<5 characters>}; it must still fit a label value. */
    static final int MAX_TEAM = MAX_LABEL - 6;
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static final Pattern STEP = Pattern.compile("^[A-Za-z0-9]([-_A-Za-z0-9]*[A-Za-z0-9])?$");

    private KubernetesNames() {
    }

    static Optional<String> teamNameProblem(String name) {
        if (!DNS_LABEL.matcher(name).matches()) {
            return Optional.of("\"" + name + "\" must be lowercase letters, digits and '-', starting and ending with"
                    + " a letter or digit (it names ArkAgents, runs and labels)");
        }
        if (name.length() > MAX_TEAM) {
            return Optional.of("\"" + name + "\" is " + name.length() + " characters; at most " + MAX_TEAM
                    + " (runs are named <team>-xxxxx and that must fit a label value)");
        }
        return Optional.empty();
    }

    static Optional<String> agentNameProblem(String team, String role) {
        String agent = team + "-" + role;
        return agent.length() > MAX_LABEL
                ? Optional.of("the agent name \"" + agent + "\" (<team>-<role>) is " + agent.length()
                        + " characters; at most " + MAX_LABEL + " (it is a label value)")
                : Optional.empty();
    }

    static Optional<String> stepNameProblem(String name) {
        if (name.length() > MAX_LABEL || !STEP.matcher(name).matches()) {
            return Optional.of("\"" + name + "\" must be at most " + MAX_LABEL + " letters, digits, '-' or '_'"
                    + " (step names become part of task ids and Redis keys)");
        }
        return Optional.empty();
    }
}
