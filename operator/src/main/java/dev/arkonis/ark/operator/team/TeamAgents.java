package dev.arkonis.ark.operator.team;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.operator.Hashes;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A team's roles as ArkAgents {@code <team>-<role>}. An agent's spec is (re)written only when the role's spec in the
 * team differs from the one it was last written from (hash in an annotation), so a user's direct patch of the
 * ArkAgent holds until the team changes that role (SPEC 1).
 */
public final class TeamAgents {
    public static final String ROLE_SPEC_HASH_ANNOTATION = "arkonis.dev/role-spec-hash";

    private final KubernetesClient client;

    public TeamAgents(KubernetesClient client) {
        this.client = client;
    }

    public static String agentName(ArkTeam team, TeamRole role) {
        return team.getMetadata().getName() + "-" + role.name();
    }

    static String roleSpecHash(TeamRole role) {
        return Hashes.ofValue(role.agentSpec());
    }

    /** The ArkAgent a role becomes, as first created. */
    static ArkAgent desired(ArkTeam team, TeamRole role) {
        ArkAgent agent = new ArkAgent();
        agent.setMetadata(new ObjectMetaBuilder()
                .withName(agentName(team, role))
                .withNamespace(team.getMetadata().getNamespace())
                .withLabels(labels(team, role))
                .withAnnotations(Map.of(ROLE_SPEC_HASH_ANNOTATION, roleSpecHash(role)))
                .withOwnerReferences(owner(team))
                .build());
        agent.setSpec(role.agentSpec());
        return agent;
    }

    /** Creates missing agents, rewrites those whose role changed, deletes those whose role is gone. */
    void sync(ArkTeam team, Set<ArkAgent> owned) {
        Map<String, ArkAgent> existing = owned.stream()
                .collect(Collectors.toMap(a -> a.getMetadata().getName(), Function.identity()));
        String namespace = team.getMetadata().getNamespace();
        Set<String> wanted = team.getSpec().roleList().stream().map(r -> agentName(team, r)).collect(Collectors.toSet());
        for (TeamRole role : team.getSpec().roleList()) {
            ArkAgent current = existing.get(agentName(team, role));
            if (current == null) {
                client.resources(ArkAgent.class).inNamespace(namespace).resource(desired(team, role)).create();
            } else if (!roleSpecHash(role).equals(annotation(current))) {
                rewrite(team, role);
            }
        }
        for (ArkAgent agent : owned) {
            if (!wanted.contains(agent.getMetadata().getName())) {
                client.resources(ArkAgent.class).inNamespace(namespace).withName(agent.getMetadata().getName()).delete();
            }
        }
    }

    private void rewrite(ArkTeam team, TeamRole role) {
        ArkAgent desired = desired(team, role);
        client.resources(ArkAgent.class).inNamespace(team.getMetadata().getNamespace())
                .withName(desired.getMetadata().getName()).edit(a -> {
                    Map<String, String> annotations = new HashMap<>(a.getMetadata().getAnnotations() == null
                            ? Map.of() : a.getMetadata().getAnnotations());
                    annotations.putAll(desired.getMetadata().getAnnotations());
                    a.getMetadata().setAnnotations(annotations);
                    Map<String, String> labels = new HashMap<>(a.getMetadata().getLabels() == null
                            ? Map.of() : a.getMetadata().getLabels());
                    labels.putAll(desired.getMetadata().getLabels());
                    a.getMetadata().setLabels(labels);
                    a.setSpec(desired.getSpec());
                    return a;
                });
    }

    private static String annotation(ArkAgent agent) {
        Map<String, String> annotations = agent.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ROLE_SPEC_HASH_ANNOTATION);
    }

    private static Map<String, String> labels(ArkTeam team, TeamRole role) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Ark.LABEL_TEAM, team.getMetadata().getName());
        labels.put(Ark.LABEL_ROLE, role.name());
        labels.put(Ark.LABEL_MANAGED_BY, Ark.MANAGED_BY);
        return labels;
    }

    private static OwnerReference owner(ArkTeam team) {
        return new OwnerReferenceBuilder().withApiVersion(team.getApiVersion()).withKind(team.getKind())
                .withName(team.getMetadata().getName()).withUid(team.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }
}
