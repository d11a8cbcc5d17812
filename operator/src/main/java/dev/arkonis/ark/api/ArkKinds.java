package dev.arkonis.ark.api;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/** ark's custom resource kinds, as their classes. */
public final class ArkKinds {
    public static final List<Class<? extends KubernetesResource>> ALL = List.of(ArkAgent.class, ArkEvent.class,
            ArkModel.class, ArkNotify.class, ArkRegistry.class, ArkRun.class, ArkSettings.class, ArkTeam.class);

    private ArkKinds() {
    }

    /**
     * Objects of ark's kinds in untyped reads, such as a watch's events, then parse straight into these classes: not
     * into generic objects that are converted afterwards (built and read twice).
     */
    public static void register(KubernetesSerialization serialization) {
        ALL.forEach(serialization::registerKubernetesResource);
    }
}
