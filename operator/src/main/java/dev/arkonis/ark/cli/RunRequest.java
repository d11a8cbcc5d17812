package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunSpec;
import dev.arkonis.ark.api.TeamRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** A new run of a team is an ArkRun named {@code <team>-<random>}, labelled with its team, made with the caller's rights. */
public final class RunRequest {
    private RunRequest() {
    }

    public static ArkRun create(KubernetesClient client, String namespace, String team, JsonNode input) {
        ArkRun run = new ArkRun();
        run.setMetadata(new ObjectMetaBuilder().withGenerateName(team + "-").withNamespace(namespace)
                .addToLabels(Ark.LABEL_TEAM, team).build());
        run.setSpec(new RunSpec(new TeamRef(team), null, input, null, null));
        return client.resources(ArkRun.class).inNamespace(namespace).resource(run).create();
    }
}
