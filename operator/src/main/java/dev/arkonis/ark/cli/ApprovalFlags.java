package dev.arkonis.ark.cli;

import dev.arkonis.ark.flow.ApprovalDecision;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.StepDefinition;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.local.Approver;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Approvals decided on the command line before the run starts: {@code --approve <step>[=comment]}, {@code
 * --approve-all}, {@code --reject <step>[=comment]}. Steps they do not name are asked of {@code fallback}.
 */
final class ApprovalFlags implements Approver {
    private final Map<String, Optional<String>> approved;
    private final Map<String, Optional<String>> rejected;
    private final boolean approveAll;
    private final String user;
    private final Clock clock;
    private final Approver fallback;

    private ApprovalFlags(Map<String, Optional<String>> approved, Map<String, Optional<String>> rejected,
                          boolean approveAll, String user, Clock clock, Approver fallback) {
        this.approved = approved;
        this.rejected = rejected;
        this.approveAll = approveAll;
        this.user = user;
        this.clock = clock;
        this.fallback = fallback;
    }

    /** The flags read against the pipeline: each must name one of its approval steps, none twice. */
    static ApprovalFlags of(List<String> approve, List<String> reject, boolean approveAll, Pipeline pipeline, String user,
                            Clock clock, Approver fallback) {
        Map<String, Optional<String>> approved = read("--approve", approve, pipeline);
        Map<String, Optional<String>> rejected = read("--reject", reject, pipeline);
        for (String step : rejected.keySet()) {
            if (approved.containsKey(step)) {
                throw new IllegalArgumentException("step " + step + " is both approved and rejected on the command line");
            }
        }
        return new ApprovalFlags(approved, rejected, approveAll, user, clock, fallback);
    }

    private static Map<String, Optional<String>> read(String flag, List<String> values, Pipeline pipeline) {
        Map<String, Optional<String>> steps = new LinkedHashMap<>();
        List<String> approvalSteps = pipeline.steps().stream().filter(s -> s.spec().waitsForApproval())
                .map(StepDefinition::name).toList();
        for (String value : values) {
            int eq = value.indexOf('=');
            String step = eq < 0 ? value : value.substring(0, eq);
            Optional<String> comment = eq < 0 ? Optional.empty() : Optional.of(value.substring(eq + 1));
            if (!approvalSteps.contains(step)) {
                throw new IllegalArgumentException(flag + " " + step + ": no approval step \"" + step + "\" in the pipeline"
                        + (approvalSteps.isEmpty() ? " (it has none)" : " (approval steps: " + String.join(", ", approvalSteps) + ")"));
            }
            steps.put(step, comment);
        }
        return steps;
    }

    /** The same flags, asking {@code other} about the steps they do not name. */
    ApprovalFlags askingInstead(Approver other) {
        return new ApprovalFlags(approved, rejected, approveAll, user, clock, other);
    }

    @Override
    public void ask(StepState step, Consumer<ApprovalDecision> decide) {
        if (rejected.containsKey(step.name())) {
            decide.accept(ApprovalDecision.reject(step.name(), user, rejected.get(step.name()).orElse(null), clock.instant()));
        } else if (approved.containsKey(step.name()) || approveAll) {
            decide.accept(ApprovalDecision.approve(step.name(), user,
                    approved.getOrDefault(step.name(), Optional.empty()).orElse(null), clock.instant()));
        } else {
            fallback.ask(step, decide);
        }
    }

    @Override
    public void settled(StepState step) {
        fallback.settled(step);
    }
}
