package dev.arkonis.ark.api;

/**
 * The naming rules every part of ark follows (operator, agent, CLI): what a team's role is called as an ArkAgent, and
 * the Redis key of its task stream, which prefixes every other key of the role, so a Redis ACL on {@code <key>*}
 * confines an agent to its role.
 */
public final class Names {
    /**
     * Team and agent names hold no dot: queue keys join names with dots, and a dotted name ({@code a.b}) would make
     * one agent's key ({@code <ns>.a.b}) another's ({@code <ns>.a}) sub-key, within its Redis user's reach.
     */
    public static final String NO_DOT_RULE = "!self.metadata.name.contains('.')";
    public static final String NO_DOT_MESSAGE = "the name must not contain '.': it is part of Redis keys that dots divide";

    private Names() {
    }

    /** The ArkAgent (and Deployment) of a team's role: {@code <team>-<role>}. */
    public static String agent(String team, String role) {
        return team + "-" + role;
    }

    /** The task stream of a team's role: {@code <namespace>.<team>.<role>}. */
    public static String queue(String namespace, String team, String role) {
        return namespace + "." + team + "." + role;
    }

    /** The task stream of an ArkAgent that no team owns: {@code <namespace>.<agent>}. */
    public static String standaloneQueue(String namespace, String agent) {
        return namespace + "." + agent;
    }

    /** Where the operator asks a role's agents to put results: {@code <queue>.results}. */
    public static String results(String queue) {
        return queue + ".results";
    }

    /** A step's whole output, when the run's status holds only the start of it: {@code <queue>.outputs.<run>.<step>}. */
    public static String stepOutput(String queue, String run, String step) {
        return queue + ".outputs." + run + "." + step;
    }

    /** A run's whole output, when its status holds only the start of it: {@code <namespace>.<team>.outputs.<run>}. */
    public static String runOutput(String namespace, String team, String run) {
        return namespace + "." + team + ".outputs." + run;
    }
}
