package dev.arkonis.ark.operator.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkEventSpec;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunSpec;
import dev.arkonis.ark.api.TeamRef;
import dev.arkonis.ark.api.TriggerTarget;
import dev.arkonis.ark.flow.trigger.TriggerInputs;
import dev.arkonis.ark.gotemplate.TemplateException;
import dev.arkonis.ark.operator.EventReason;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one fire of an ArkEvent into an ArkRun per target. Run names are deterministic from the event, the fire and
 * the target, so firing the same slot, delivery or upstream run again creates nothing new.
 */
final class RunLauncher {
    private final KubernetesClient client;

    RunLauncher(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param fireKey identifies this fire (schedule slot, webhook delivery, upstream run); becomes part of run names
     * @param trigger what the targets' input templates see as {@code .trigger}
     */
    FireResult fire(ArkEvent event, String fireKey, Map<String, Object> trigger) {
        String namespace = event.getMetadata().getNamespace();
        ArkEventSpec spec = event.getSpec();
        if (spec.effectiveConcurrencyPolicy() == ArkEventSpec.ConcurrencyPolicy.FORBID) {
            List<String> active = unfinishedRuns(event, fireKey);
            if (!active.isEmpty()) {
                return new FireResult.Refused(EventReason.ConcurrencyForbidden, "not fired: concurrencyPolicy is Forbid and run(s) "
                        + String.join(", ", active) + " of this event are still unfinished");
            }
        }
        List<TriggerTarget> targets = spec.targetList();
        List<ArkRun> runs = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            TriggerTarget target = targets.get(i);
            ArkTeam team = client.resources(ArkTeam.class).inNamespace(namespace).withName(target.team()).get();
            ObjectNode input;
            try {
                input = TriggerInputs.render(target, trigger, team == null ? null : team.getSpec());
            } catch (TemplateException e) {
                return new FireResult.Refused(EventReason.InputTemplateFailed, "not fired: spec.targets[" + i + "]." + e.getMessage());
            }
            runs.add(run(event, fireKey, i, targets.size(), target.team(), input));
        }
        List<String> names = new ArrayList<>();
        boolean repeated = true;
        for (ArkRun run : runs) {
            names.add(run.getMetadata().getName());
            try {
                client.resource(run).create();
                repeated = false;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // created by an earlier attempt at this same fire (a restart between creating and recording)
            }
        }
        return new FireResult.Fired(names, repeated);
    }

    private List<String> unfinishedRuns(ArkEvent event, String fireKey) {
        return client.resources(ArkRun.class).inNamespace(event.getMetadata().getNamespace())
                .withLabel(Ark.LABEL_TRIGGER, RunNames.labelValue(event.getMetadata().getName())).list().getItems()
                .stream()
                .filter(r -> r.getMetadata().getDeletionTimestamp() == null)
                .filter(r -> !fireKey.equals(r.getMetadata().getLabels().get(Ark.LABEL_FIRE)))
                .filter(r -> r.getStatus() == null || r.getStatus().phase() == null || !r.getStatus().phase().isFinished())
                .map(r -> r.getMetadata().getName()).sorted().toList();
    }

    private static ArkRun run(ArkEvent event, String fireKey, int index, int targets, String team, ObjectNode input) {
        ArkRun run = new ArkRun();
        run.setMetadata(new ObjectMetaBuilder()
                .withName(RunNames.of(event.getMetadata().getName(), fireKey, index, targets))
                .withNamespace(event.getMetadata().getNamespace())
                .withLabels(Map.of(Ark.LABEL_TEAM, team,
                        Ark.LABEL_TRIGGER, RunNames.labelValue(event.getMetadata().getName()),
                        Ark.LABEL_FIRE, fireKey))
                .build());
        run.setSpec(new RunSpec(new TeamRef(team), null, input, null, null));
        return run;
    }
}
