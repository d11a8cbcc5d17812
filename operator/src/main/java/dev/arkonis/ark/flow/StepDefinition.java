package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.PipelineStep;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.gotemplate.Template;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A validated step with its templates parsed once and its place in the graph worked out. */
public record StepDefinition(
        int index,
        String name,
        PipelineStep spec,
        TeamRole role,
        List<String> dependencies,
        Map<String, Template> inputs,
        Template condition,
        Template loopCondition) {

    /** Iterations a loop step runs at most; 1 for other steps. */
    public int maxIterations() {
        return spec.loop() == null ? 1 : spec.loop().effectiveMaxIterations();
    }

    /** Step timeoutSeconds, else the role's limits.timeoutSeconds. */
    public Duration timeout() {
        Integer seconds = spec.timeoutSeconds();
        return Duration.ofSeconds(seconds != null ? seconds : role.agentSpec().effectiveLimits().effectiveTimeoutSeconds());
    }
}
