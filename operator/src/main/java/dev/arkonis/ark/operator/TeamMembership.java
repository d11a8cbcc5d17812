package dev.arkonis.ark.operator;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.Names;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Optional;

/**
 * The team and role an ArkAgent runs for, when a team owns it; decides its queue key
 * ({@code <namespace>.<team>.<role>}, else {@code <namespace>.<agent>}).
 */
public record TeamMembership(String team, String role) {
    private static final String TEAM_KIND = HasMetadata.getKind(ArkTeam.class);

    /** A team's agent carries both labels and an owner reference to that team; anything else stands alone. */
    public static Optional<TeamMembership> of(ArkAgent agent) {
        Map<String, String> labels = agent.getMetadata().getLabels();
        if (labels == null || labels.get(Ark.LABEL_TEAM) == null || labels.get(Ark.LABEL_ROLE) == null) {
            return Optional.empty();
        }
        String team = labels.get(Ark.LABEL_TEAM);
        boolean owned = agent.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> TEAM_KIND.equals(o.getKind()) && team.equals(o.getName()));
        return owned ? Optional.of(new TeamMembership(team, labels.get(Ark.LABEL_ROLE))) : Optional.empty();
    }

    public static String queueKey(String namespace, String team, String role) {
        return Names.queue(namespace, team, role);
    }

    /** {@code <namespace>.<team>.<role>} for a team's agent, {@code <namespace>.<agent>} otherwise. */
    public static String queueOf(ArkAgent agent) {
        String ns = agent.getMetadata().getNamespace();
        return of(agent).map(m -> queueKey(ns, m.team(), m.role()))
                .orElse(Names.standaloneQueue(ns, agent.getMetadata().getName()));
    }
}
