package dev.arkonis.ark.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.TeamInput;
import dev.arkonis.ark.dashboard.view.Frame;
import dev.arkonis.ark.dashboard.view.Links;
import dev.arkonis.ark.dashboard.view.TeamsPage;
import dev.arkonis.ark.queue.RedisUnavailableException;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads teams and agents with the person's client and shapes them for the teams page and a team's page. */
final class TeamsView {
    private final QueueDepths queues;

    TeamsView(QueueDepths queues) {
        this.queues = queues;
    }

    /** Namespace null: every namespace the person may list. */
    TeamsPage teams(KubernetesClient client, Frame frame, String namespace) {
        List<ArkTeam> teams = sorted(namespace == null ? client.resources(ArkTeam.class).inAnyNamespace().list().getItems()
                : client.resources(ArkTeam.class).inNamespace(namespace).list().getItems());
        List<ArkAgent> agents = sorted(namespace == null ? client.resources(ArkAgent.class).inAnyNamespace().list().getItems()
                : client.resources(ArkAgent.class).inNamespace(namespace).list().getItems());
        Depths depths = depths(agents);
        List<TeamsPage.Team> shaped = new ArrayList<>();
        Set<String> owned = new HashSet<>();
        for (ArkTeam team : teams) {
            List<ArkAgent> mine = agents.stream().filter(a -> a.getMetadata().getNamespace().equals(team.getMetadata().getNamespace())
                    && team.getMetadata().getName().equals(label(a, Ark.LABEL_TEAM))).toList();
            mine.forEach(a -> owned.add(key(a)));
            shaped.add(team(team, mine, depths.values()));
        }
        List<TeamsPage.Agent> lone = agents.stream().filter(a -> !owned.contains(key(a)))
                .map(a -> agent(a, depths.values())).toList();
        return new TeamsPage(frame, namespace, shaped, lone, depths.note());
    }

    /** One team and the agents of its roles; null when it is not there. */
    TeamsPage.Team team(KubernetesClient client, String namespace, String name, StringBuilder queueNote) {
        ArkTeam team = client.resources(ArkTeam.class).inNamespace(namespace).withName(name).get();
        if (team == null) {
            return null;
        }
        List<ArkAgent> agents = sorted(client.resources(ArkAgent.class).inNamespace(namespace)
                .withLabel(Ark.LABEL_TEAM, name).list().getItems());
        Depths depths = depths(agents);
        queueNote.append(depths.note());
        return team(team, agents, depths.values());
    }

    private record Depths(Map<String, QueueDepths.Depth> values, String note) {
    }

    private Depths depths(List<ArkAgent> agents) {
        if (!queues.configured()) {
            return new Depths(Map.of(), "Queue depths need TASK_QUEUE_URL (the Redis of the operator).");
        }
        List<String> streams = agents.stream().map(a -> a.getStatus() == null ? null : a.getStatus().queue())
                .filter(q -> q != null && !q.isEmpty()).distinct().toList();
        try {
            return new Depths(queues.read(streams), "");
        } catch (RedisUnavailableException e) {
            return new Depths(Map.of(), "Queue depths unknown: " + e.getMessage());
        }
    }

    private static TeamsPage.Team team(ArkTeam team, List<ArkAgent> agents, Map<String, QueueDepths.Depth> depths) {
        String ns = team.getMetadata().getNamespace();
        String name = team.getMetadata().getName();
        var status = team.getStatus();
        String message = status == null || status.conditions() == null ? null : status.conditions().stream()
                .filter(c -> "False".equals(c.getStatus()) && c.getMessage() != null).map(Condition::getMessage)
                .findFirst().orElse(null);
        List<TeamsPage.Input> inputs = team.getSpec() == null ? List.of() : team.getSpec().inputList().stream()
                .map(TeamsView::input).toList();
        String last = status == null ? null : status.lastRunName();
        return new TeamsPage.Team(ns, name, Links.team(ns, name), status == null || status.phase() == null ? "Pending"
                : status.phase().name(), message, agents.stream().map(a -> agent(a, depths)).toList(), inputs, last,
                last == null ? null : Links.run(ns, last),
                team.getSpec() == null || team.getSpec().notifyRef() == null ? null : team.getSpec().notifyRef().name());
    }

    private static TeamsPage.Input input(TeamInput input) {
        JsonNode def = input.defaultValue();
        String field = switch (input.effectiveType()) {
            case NUMBER, INTEGER -> "number";
            case BOOLEAN -> "boolean";
            case OBJECT, ARRAY -> "json";
            case STRING -> "text";
        };
        return new TeamsPage.Input(input.name(), input.effectiveType().wireName(), input.description(),
                input.isRequired(), def == null || def.isNull() ? null : def.isTextual() ? def.asText() : def.toString(), field);
    }

    private static TeamsPage.Agent agent(ArkAgent agent, Map<String, QueueDepths.Depth> depths) {
        var status = agent.getStatus();
        var spec = agent.getSpec();
        String exceeded = condition(status == null ? null : status.conditions(), Ark.CONDITION_BUDGET_EXCEEDED, "True");
        String notReady = condition(status == null ? null : status.conditions(), Ark.CONDITION_READY, "False");
        String queue = status == null ? null : status.queue();
        QueueDepths.Depth depth = queue == null ? null : depths.get(queue);
        long limit = budgetLimit(status == null ? null : status.budget());
        return new TeamsPage.Agent(agent.getMetadata().getName(), label(agent, Ark.LABEL_ROLE),
                spec == null ? "" : spec.model(), status == null || status.readyReplicas() == null ? 0 : status.readyReplicas(),
                spec == null ? 0 : spec.effectiveReplicas(),
                status == null || status.dailyTokenUsage() == null ? 0 : status.dailyTokenUsage().totalTokens(),
                limit > 0 ? limit : null, status == null ? null : status.budget(),
                status == null || status.budgetResetsAt() == null ? null : Instant.parse(status.budgetResetsAt()),
                exceeded, queue, depth == null ? null : depth.length(), depth == null ? null : depth.pending(), notReady);
    }

    /** The limit the operator applies, as it writes it ("used/limit"): the spec may leave it to the chart's default. */
    private static long budgetLimit(String budget) {
        int slash = budget == null ? -1 : budget.indexOf('/');
        if (slash < 0) {
            return 0;
        }
        try {
            return Long.parseLong(budget.substring(slash + 1));
        } catch (NumberFormatException unlimited) {
            return 0;
        }
    }

    private static String condition(List<Condition> conditions, String type, String status) {
        return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(c -> c.getMessage() == null ? c.getReason() : c.getMessage()).findFirst().orElse(null);
    }

    private static String label(HasMetadata object, String name) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(name);
    }

    private static String key(HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    private static <T extends HasMetadata> List<T> sorted(List<T> items) {
        return items.stream().sorted(Comparator.comparing((T o) -> o.getMetadata().getNamespace())
                .thenComparing(o -> o.getMetadata().getName())).toList();
    }
}
