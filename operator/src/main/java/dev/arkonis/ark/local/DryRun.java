package dev.arkonis.ark.local;

import dev.arkonis.ark.api.SkipReason;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.ApprovalDecision;
import dev.arkonis.ark.flow.DelegationReply;
import dev.arkonis.ark.flow.DelegationRequest;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.StepDefinition;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskOutcome;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.mock.MockProvider;
import dev.arkonis.ark.llm.tools.BuiltinTools;
import dev.arkonis.ark.llm.tools.Delegator;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a pipeline without any model: each step's prompt is rendered exactly as a real run would render it, and its
 * "output" is the one given for it ({@code --outputs}) or the mock provider's deterministic answer. Approval steps
 * are approved at once (with the given output as the comment), their rendered message shown as their prompt. One
 * thread, in dependency order, no waiting.
 */
public final class DryRun {
    /** What one step would do: its {@code if} result and rendered prompt, and the output its dependents saw. */
    public record StepPreview(String name, String role, List<String> dependsOn, String condition, Boolean conditionResult,
            StepPhase phase, String systemPrompt, String prompt, String outputSchema, String output, String outputSource,
            String message) {
    }

    /** Every step in the order a run would reach it, and the run's output as rendered from them. */
    public record Result(List<StepPreview> steps, String output, String message) {
    }

    private final Map<String, String> givenOutputs;
    private final MockProvider mock = new MockProvider(java.time.Duration.ZERO);

    /** @param givenOutputs outputs to use instead of the mock's, by step name */
    public DryRun(Map<String, String> givenOutputs) {
        this.givenOutputs = Map.copyOf(givenOutputs);
    }

    public Result run(PipelineRun run, Clock clock) {
        Map<String, StepPreview> previews = new LinkedHashMap<>();
        Map<String, String> prompts = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        ArrayDeque<TaskRequest> tasks = new ArrayDeque<>(run.start(clock.instant()));
        note(run, previews, prompts, sources);
        approve(run, tasks, prompts, sources, clock, previews);
        while (!tasks.isEmpty()) {
            TaskRequest task = tasks.poll();
            prompts.putIfAbsent(task.step(), task.prompt());
            tasks.addAll(run.onResult(answer(task, run, sources, prompts, tasks, clock), clock.instant()));
            note(run, previews, prompts, sources);
            approve(run, tasks, prompts, sources, clock, previews);
        }
        note(run, previews, prompts, sources);
        List<StepPreview> ordered = new ArrayList<>(previews.values());
        // steps never reached (after a failure) come last, in pipeline order
        for (StepDefinition def : run.pipeline().steps()) {
            if (!previews.containsKey(def.name())) {
                ordered.add(preview(def, run.step(def.name()), null, null));
            }
        }
        return new Result(ordered, run.output(), run.message());
    }

    /** Approval steps waiting now are approved, so the steps after them can be previewed too. */
    private void approve(PipelineRun run, ArrayDeque<TaskRequest> tasks, Map<String, String> prompts,
                         Map<String, String> sources, Clock clock, Map<String, StepPreview> previews) {
        for (StepState waiting : run.waitingForApproval()) {
            prompts.putIfAbsent(waiting.name(), waiting.approval().message());
            String given = givenOutputs.get(waiting.name());
            sources.put(waiting.name(), given != null ? "given" : "approved");
            tasks.addAll(run.decide(ApprovalDecision.approve(waiting.name(), "ark run --dry-run", given, clock.instant()),
                    clock.instant()));
            note(run, previews, prompts, sources);
        }
    }

    private TaskOutcome answer(TaskRequest task, PipelineRun run, Map<String, String> sources,
                               Map<String, String> prompts, ArrayDeque<TaskRequest> later, Clock clock) {
        String given = givenOutputs.get(task.step());
        if (given != null) {
            sources.put(task.step(), "given");
            return TaskOutcome.success(task.step(), task.attempt(), given, TokenUsage.ZERO).forTask(task.taskId());
        }
        sources.put(task.step(), "mock");
        // a delegate call is answered at once, by running the delegated step the same way
        Delegator delegator = (call, role, text) -> {
            for (TaskRequest child : run.onDelegation(new DelegationRequest(task.step(), task.attempt(), call, role, text),
                    clock.instant())) {
                prompts.putIfAbsent(child.step(), child.prompt());
                later.addAll(run.onResult(answer(child, run, sources, prompts, later, clock), clock.instant()));
            }
            return run.drainReplies().stream().filter(r -> r.step().equals(task.step()) && r.call() == call)
                    .map(DelegationReply::text).reduce((a, b) -> b).orElse("error: no answer");
        };
        try {
            String text = mock.complete(new CompletionRequest(task.agent().agent(), systemPrompt(run, task), task.prompt(),
                    task.outputSchema(), task.maxTokensPerCall(), null, null, BuiltinTools.of(task.tools(), delegator),
                    null)).text();
            return TaskOutcome.success(task.step(), task.attempt(), text, TokenUsage.ZERO).forTask(task.taskId());
        } catch (LlmException e) {
            return TaskOutcome.failure(task.step(), task.attempt(), e.getMessage(), TokenUsage.ZERO).forTask(task.taskId());
        }
    }

    /** The system prompt of the agent a task goes to: its role's, or the directory agent's. */
    private static String systemPrompt(PipelineRun run, TaskRequest task) {
        if (task.agent().isTeamRole() && run.pipeline().role(task.agent().role()) != null) {
            return run.pipeline().role(task.agent().role()).systemPrompt();
        }
        return run.directory().find(task.agent().agent()).map(a -> a.spec().systemPrompt()).orElse(null);
    }

    /** Records steps as they are dispatched or finished, so the order is the order a run reaches them. */
    private static void note(PipelineRun run, Map<String, StepPreview> previews, Map<String, String> prompts,
            Map<String, String> sources) {
        for (StepState state : run.drainChanges()) {
            StepDefinition def = run.definition(state.name());
            previews.put(state.name(), preview(def, state, prompts.get(state.name()), sources.get(state.name())));
        }
    }

    private static StepPreview preview(StepDefinition def, StepState state, String prompt, String source) {
        String condition = def.spec().condition();
        boolean skippedByCondition = state.phase() == StepPhase.Skipped && state.skipReason() == SkipReason.ConditionFalse;
        // an if is evaluated when the step is reached: it then ran (true) or was skipped by it (false)
        Boolean result = condition == null || (prompt == null && !skippedByCondition) ? null : !skippedByCondition;
        boolean answered = source != null;
        return new StepPreview(def.name(), def.roleName(), def.dependencies(), condition, result, state.phase(),
                def.role() == null ? null : def.role().systemPrompt(), prompt, def.spec().effectiveSchema(),
                answered ? state.output() : null,
                source, state.phase() == StepPhase.Succeeded ? null : state.message());
    }
}
