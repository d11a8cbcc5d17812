package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.Names;

/**
 * Which agents a task goes to: a role of a team (the run's own when {@code team} is null; queue
 * {@code <namespace>.<team>.<role>}) or an ArkAgent no team owns (queue {@code <namespace>.<agent>}).
 *
 * @param agent the ArkAgent's name; for a role of the run's own team whose name the engine was not told, the role
 */
public record AgentRef(String agent, String team, String role) {

    /** A role of a team; {@code team} null for the run's own team when its name is not known. */
    public static AgentRef teamRole(String team, String role) {
        return new AgentRef(team == null ? role : Names.agent(team, role), team, role);
    }

    public static AgentRef standalone(String agent) {
        return new AgentRef(agent, null, null);
    }

    public boolean isTeamRole() {
        return role != null;
    }

    /** The task stream of these agents. */
    public String queue(String namespace, String runTeam) {
        return isTeamRole() ? Names.queue(namespace, team != null ? team : runTeam, role)
                : Names.standaloneQueue(namespace, agent);
    }
}
