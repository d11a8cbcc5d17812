package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/**
 * Replicas that follow the work: {@code ceil(work / tasksPerPod)} between {@code minReplicas} (default 1) and
 * {@code maxReplicas} (default {@code replicas}), where work is the role's tasks queued and in progress and tasksPerPod
 * {@code targetPendingTasks} (default maxConcurrentTasks); with {@code scaleToZero} (or {@code minReplicas: 0}) an idle
 * role goes to 0 after {@code afterSeconds}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Autoscaling(
        @JsonPropertyDescription("Set replicas from the pending work, up to spec.replicas.") Boolean enabled,
        @JsonPropertyDescription("Take an idle role to zero replicas.") ScaleToZero scaleToZero,
        @Min(0) @JsonPropertyDescription("Pods kept while idle (default 1); 0 lets an idle role go to zero as scaleToZero does.")
        Integer minReplicas,
        @Min(1) @JsonPropertyDescription("The most pods it runs (default spec.replicas).") Integer maxReplicas,
        @Min(1) @JsonPropertyDescription("Tasks queued or running per pod (default limits.maxConcurrentTasks).")
        Integer targetPendingTasks) {

    public Autoscaling(Boolean enabled, ScaleToZero scaleToZero) {
        this(enabled, scaleToZero, null, null, null);
    }

    public static final int DEFAULT_IDLE_SECONDS = 300;

    /** Scales an idle role to zero after it has had no work for {@code afterSeconds}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScaleToZero(
            Boolean enabled,
            @Default("300") @Min(1) @JsonPropertyDescription("Seconds without work before the role goes to zero.")
            Integer afterSeconds) {
    }

    public boolean isEnabled() {
        return Boolean.TRUE.equals(enabled);
    }

    public boolean scalesToZero() {
        return isEnabled() && (scaleToZero != null && Boolean.TRUE.equals(scaleToZero.enabled())
                || minReplicas != null && minReplicas == 0);
    }

    /** The most pods: {@code maxReplicas}, else the agent's {@code replicas}. */
    public int mostPods(int replicas) {
        return maxReplicas == null ? replicas : maxReplicas;
    }

    /** The fewest pods while there is work or the role is idle but not yet at zero. */
    public int fewestPods() {
        return minReplicas == null || minReplicas == 0 ? 1 : minReplicas;
    }

    /** Work one pod is given: {@code targetPendingTasks}, else how many tasks a pod takes at once. */
    public int tasksPerPod(int maxConcurrentTasks) {
        return targetPendingTasks == null ? maxConcurrentTasks : targetPendingTasks;
    }

    public int idleSeconds() {
        return scaleToZero == null || scaleToZero.afterSeconds() == null ? DEFAULT_IDLE_SECONDS : scaleToZero.afterSeconds();
    }
}
