package dev.arkonis.ark.flow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.AgentLimits;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.Capability;
import dev.arkonis.ark.api.PipelineStep;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.SkipReason;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepValidation;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.gotemplate.Template;
import dev.arkonis.ark.gotemplate.TemplateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One run of a team as a pure state machine: callers feed it results, delegate calls and the time, it answers with the
 * tasks to dispatch (and the answers to delegate calls, {@link #drainReplies}). It does no I/O, so the operator and
 * {@code ark run} drive the same logic with different transports. Not thread-safe: one driver at a time.
 *
 * <p>A pipeline team's steps run as its DAG says; a step with a {@code registryLookup} gets its agent from the
 * {@link AgentDirectory} when it starts. A dynamic team's run is one step, the entry role's task; a routed team's run
 * is one step whose router call chooses the agent. Any step whose role {@code canDelegate} may hand tasks to other
 * roles: each call becomes a child step (with its parent named), and its answer goes back to the caller.
 */
public final class PipelineRun {
    public static final String REASON_STEP_FAILED = "StepFailed";
    public static final String REASON_BUDGET_EXCEEDED = "BudgetExceeded";
    public static final String REASON_TIMED_OUT = "TimedOut";
    public static final String REASON_OUTPUT_TEMPLATE = "OutputTemplateFailed";
    public static final String REASON_REJECTED = "ApprovalRejected";
    public static final String REASON_CANCELLED = "Cancelled";
    /** Message prefix of a step skipped by its own {@code if}; its dependents still run. */
    public static final String SKIPPED_BY_CONDITION = "skipped: condition is false";
    private static final String RETRYING = "retrying: attempt ";
    private static final String JUDGING = "judging the output against validate.semantic (role ";

    private final Pipeline pipeline;
    private final String runId;
    private final Map<String, Object> input;
    private final String entryText;
    private final RunLimits limits;
    private final OutputChecker checker;
    private AgentDirectory directory = AgentDirectory.NONE;
    private final Map<String, StepRun> steps = new LinkedHashMap<>();
    private final Map<String, Object> finishedSteps = new HashMap<>();
    // Steps whose dependencies are all met, and a count of steps not yet finished: scheduling stays O(1) per step.
    private final ArrayDeque<StepRun> ready = new ArrayDeque<>();
    private final Set<StepRun> running = new LinkedHashSet<>();
    private final Set<StepRun> waiting = new LinkedHashSet<>();
    private int unfinished;
    private final Set<String> changed = new LinkedHashSet<>();
    private final List<IterationOutput> replacedIterations = new ArrayList<>();
    // delegate calls already turned into child steps, by parent, parent attempt and call number
    private final Map<String, String> calls = new HashMap<>();
    private final List<DelegationReply> replies = new ArrayList<>();
    private final List<CacheWrite> cacheWrites = new ArrayList<>();

    private RunPhase phase = RunPhase.Pending;
    private Instant startTime;
    private Instant completionTime;
    private Instant runDeadline;
    private TokenUsage totalTokens = TokenUsage.ZERO;
    private String failedStep;
    private String message;
    private String reason;
    private String output;
    private boolean stopDispatching;
    private RunControl control = RunControl.NONE;

    public PipelineRun(Pipeline pipeline, String runId, ObjectNode resolvedInput, RunLimits limits, OutputChecker checker) {
        this.pipeline = pipeline;
        this.runId = runId;
        this.input = InputResolver.toTemplateData(resolvedInput, pipeline.spec().inputList());
        this.entryText = pipeline.mode().takesATask() ? EntryTask.text(resolvedInput, pipeline.spec().inputList()) : null;
        this.limits = limits;
        this.checker = checker;
        for (StepDefinition def : pipeline.steps()) {
            steps.put(def.name(), new StepRun(def));
        }
        unfinished = steps.size();
        steps.values().forEach(this::countDependencies);
    }

    /**
     * The agents beyond the team's roles that routing, lookups and fallbacks choose from, and the delegation depth
     * limit; set it before the run starts and again whenever the transport sees them change.
     */
    public PipelineRun useDirectory(AgentDirectory agents) {
        this.directory = agents == null ? AgentDirectory.NONE : agents;
        return this;
    }

    private void countDependencies(StepRun step) {
        if (step.isChild()) {
            return;
        }
        step.unmetDependencies = (int) step.def.dependencies().stream().map(steps::get).filter(d -> !d.letsDependentsRun()).count();
        if (step.unmetDependencies == 0 && step.phase == StepPhase.Pending) {
            ready.add(step);
        }
    }

    public List<TaskRequest> start(Instant now) {
        if (phase != RunPhase.Pending) {
            return List.of();
        }
        phase = RunPhase.Running;
        startTime = now;
        runDeadline = limits.timeout() == null ? null : now.plus(limits.timeout());
        return advance(now);
    }

    /**
     * Applies a task's result once; results for another attempt, a finished step, or a task the step no longer waits
     * on (its own task's result while its judge works, the router's once it chose) are ignored.
     */
    public List<TaskRequest> onResult(TaskOutcome outcome, Instant now) {
        StepRun step = steps.get(outcome.step());
        if (step == null || step.phase != StepPhase.Running || step.attempts != outcome.attempt() || phase.isFinished()) {
            return List.of();
        }
        boolean fromJudge = judgeTaskId(step).equals(outcome.taskId());
        boolean fromRouter = routerTaskId(step).equals(outcome.taskId());
        if (fromJudge != step.judging || fromRouter != step.routing) {
            return List.of();
        }
        TokenUsage usage = outcome.usage() == null ? TokenUsage.ZERO : outcome.usage();
        step.tokens = step.tokens.plus(usage);
        totalTokens = totalTokens.plus(usage);
        if (outcome.queueWait() != null) {
            step.queueWait = step.queueWait == null ? outcome.queueWait() : step.queueWait.plus(outcome.queueWait());
        }
        // the judge's model is its own role's: of its task only the wait counts for the step
        step.modelUse = step.modelUse.then(fromJudge ? new ModelUse(null, null, outcome.modelUse().rateLimitWait())
                : outcome.modelUse());
        List<TaskRequest> dispatch = new ArrayList<>();
        if (step.routing) {
            routed(step, outcome, now, dispatch);
        } else if (outcome.origin() != null && outcome.succeeded() && !step.judging) {
            fromCache(step, outcome, now);
        } else if (control.cancelled()) {
            endWhileCancelled(step, outcome, now);
        } else if (step.judging) {
            step.judging = false;
            judged(step, outcome, now, dispatch);
        } else if (!outcome.succeeded()) {
            failStep(step, outcome.error() == null ? "task failed" : outcome.error(), now);
        } else {
            OutputCheck check = checker.check(step.def.spec(), outcome.output());
            if (!check.passed()) {
                rejected(step, check.output(), check.errors(), now, dispatch);
            } else if (OutputChecker.semanticCriterion(step.def.spec()).isPresent()) {
                step.output = check.output();
                dispatch.add(judgeTask(step, now));
            } else {
                passed(step, check.output(), now, dispatch);
            }
        }
        dispatch.addAll(advance(now));
        return dispatch;
    }

    /**
     * A model's {@code delegate} call while working on a step's task: a child step of the run that runs on the target
     * role's agents, whose answer goes back to the caller ({@link #drainReplies}); or a refusal it reads at once (an
     * unknown target, a cycle, the depth limit, the run's budget). A call repeated by an agent that took the caller's
     * task over gets the child made the first time. Calls of a task the step no longer waits on are ignored.
     */
    public List<TaskRequest> onDelegation(DelegationRequest request, Instant now) {
        StepRun parent = steps.get(request.step());
        if (parent == null || parent.phase != StepPhase.Running || parent.attempts != request.attempt()
                || parent.judging || parent.routing || phase.isFinished()) {
            return List.of();
        }
        String key = callKey(parent.def.name(), request.attempt(), request.call());
        StepRun earlier = calls.containsKey(key) ? steps.get(calls.get(key)) : null;
        if (earlier != null && earlier.def.roleName().equals(request.target())
                && earlier.delegation.task().equals(request.task())) {
            if (earlier.phase.isFinished()) {
                reply(earlier);
            }
            return List.of();
        }
        int depth = parent.depth() + 1;
        List<String> chain = roleChain(parent);
        TeamRole callerRole = parent.def.role();
        List<String> allowed = callerRole == null ? List.of() : callerRole.delegates();
        Optional<String> refusal = DelegationRules.refusal(chain, allowed, request.target(), request.task(), depth,
                directory.maxDepth().orElse(DelegationRules.DEFAULT_MAX_DEPTH), childCount(),
                budgetExceeded() ? "the run's token budget of " + limits.maxTokens() + " tokens is spent" : null,
                stopDispatching ? "the run is ending" + (failedStep == null ? "" : ": step " + failedStep + " failed") : null);
        String target = request.target() == null || request.target().isBlank() ? "unnamed" : request.target();
        StepRun child = new StepRun(childDefinition(childName(target), target));
        child.delegation = new StepState.Delegation(parent.def.name(), request.attempt(), request.call(), depth,
                request.task() == null ? "" : request.task());
        steps.put(child.def.name(), child);
        calls.put(key, child.def.name());
        unfinished++;
        changed.add(child.def.name());
        parent.message = "waiting for " + child.def.name() + " (delegated to " + target + ")";
        changed.add(parent.def.name());
        if (refusal.isPresent()) {
            child.startTime = now;
            child.message = "delegation refused: " + refusal.get();
            finish(child, StepPhase.Failed, now);
            return List.of();
        }
        assignRole(child, child.def.role());
        child.prompt = child.delegation.task();
        return List.of(dispatch(child, child.prompt, now));
    }

    /** Answers to delegate calls since the last call, for the transport to hand to the callers' tool loops. */
    public List<DelegationReply> drainReplies() {
        List<DelegationReply> drained = List.copyOf(replies);
        replies.clear();
        return drained;
    }

    /**
     * The answers every caller still waits for that its delegated steps already have (after a restore: the transport
     * may have lost them between recording and sending).
     */
    public List<DelegationReply> owedReplies() {
        List<DelegationReply> owed = new ArrayList<>();
        for (StepRun child : steps.values()) {
            if (child.isChild() && child.phase.isFinished()) {
                StepRun parent = steps.get(child.delegation.parent());
                if (parent != null && parent.phase == StepPhase.Running && parent.attempts == child.delegation.parentAttempt()) {
                    owed.add(replyOf(child, parent));
                }
            }
        }
        return owed;
    }

    private void reply(StepRun child) {
        StepRun parent = steps.get(child.delegation.parent());
        if (parent != null && parent.phase == StepPhase.Running && parent.attempts == child.delegation.parentAttempt()
                && !phase.isFinished()) {
            replies.add(replyOf(child, parent));
        }
    }

    private DelegationReply replyOf(StepRun child, StepRun parent) {
        boolean ok = child.phase == StepPhase.Succeeded;
        String text = ok ? (child.output == null ? "" : child.output)
                : "error: " + (child.message == null ? "the delegated task failed" : child.message);
        return new DelegationReply(parent.def.name(), parent.attempts, parent.taskId, child.delegation.call(),
                child.def.name(), ok, text);
    }

    private static String callKey(String parent, int attempt, int call) {
        return parent + "#" + attempt + "#" + call;
    }

    /** The roles from the run's entry task down to the step, the step's own last. */
    private List<String> roleChain(StepRun step) {
        List<String> chain = new ArrayList<>();
        for (StepRun s = step; s != null; s = s.isChild() ? steps.get(s.delegation.parent()) : null) {
            chain.add(0, s.def.roleName());
        }
        return chain;
    }

    private int childCount() {
        return (int) steps.values().stream().filter(StepRun::isChild).count();
    }

    /** {@code <role>-<n>}, the first n free: readable in a step list, unique in the run. */
    private String childName(String target) {
        for (int n = 1; ; n++) {
            String name = target + "-" + n;
            if (!steps.containsKey(name)) {
                return name;
            }
        }
    }

    private StepDefinition childDefinition(String name, String role) {
        PipelineStep spec = new PipelineStep(role, name, null, null, null, null, null, null, null, null);
        return new StepDefinition(-1, name, spec, pipeline.role(role), List.of(), Map.of(), null, null,
                StepDefinition.Kind.CHILD);
    }

    /** The judge's verdict on a step's output: pass succeeds, fail is a rejection like any failed check. */
    private void judged(StepRun step, TaskOutcome outcome, Instant now, List<TaskRequest> dispatch) {
        if (!outcome.succeeded()) {
            failStep(step, "semantic check: the judge call failed: "
                    + (outcome.error() == null ? "task failed" : outcome.error()), now);
            return;
        }
        List<String> problems = new ArrayList<>();
        Optional<SemanticJudge.Verdict> verdict = checker.judge().read(outcome.output(), problems);
        if (verdict.isEmpty()) {
            failStep(step, "semantic check: the judge did not answer {\"pass\": true|false, \"reason\": \"...\"}: "
                    + String.join("; ", problems), now);
        } else if (verdict.get().pass()) {
            passed(step, step.output, now, dispatch);
        } else {
            rejected(step, step.output, List.of("semantic check failed: " + verdict.get().reason()), now, dispatch);
        }
    }

    /** An output that passed every check: the step succeeds, or a loop step ends its iteration. */
    private void passed(StepRun step, String output, Instant now, List<TaskRequest> dispatch) {
        if (step.def.loopCondition() != null) {
            endIteration(step, output, now).ifPresent(dispatch::add);
        } else {
            succeed(step, output, now);
        }
    }

    /** An output that failed its checks: tried again with the errors fed back, or the step fails with them. */
    private void rejected(StepRun step, String candidate, List<String> errors, Instant now, List<TaskRequest> dispatch) {
        step.validationAttempts++;
        StepValidation validate = step.def.spec().validate();
        boolean retry = validate == null || validate.effectiveOnFailure() == StepValidation.OnFailure.RETRY;
        int maxRetries = validate == null ? StepValidation.DEFAULT_MAX_RETRIES : validate.effectiveMaxRetries();
        if (retry && step.validationAttempts <= maxRetries && !budgetExceeded()) {
            if (step.def.loopCondition() == null) {
                step.output = null; // a loop step keeps its last iteration's output, which its prompt reads
            }
            dispatch.add(dispatch(step, withFeedback(basePrompt(step), errors), now));
            step.validationErrors = List.copyOf(errors);
            step.message = RETRYING + step.attempts + " after failed validation: " + String.join("; ", errors);
        } else {
            step.output = candidate;
            step.validationErrors = List.copyOf(errors);
            failStep(step, "output failed validation after " + step.validationAttempts + " attempt(s): "
                    + String.join("; ", errors), now);
        }
    }

    /** The judge call for the output a step holds: a task of the judge role, answering in the verdict's shape. */
    private TaskRequest judgeTask(StepRun step, Instant now) {
        changed.add(step.def.name());
        step.judging = true;
        step.taskId = judgeTaskId(step);
        step.deadline = now.plus(timeout(step));
        step.message = JUDGING + judgeRef(step).agent() + ")";
        return judgeRequest(step);
    }

    private TaskRequest judgeRequest(StepRun step) {
        AgentRef judge = judgeRef(step);
        String criterion = OutputChecker.semanticCriterion(step.def.spec()).orElseThrow();
        return new TaskRequest(step.taskId, runId, step.def.name(), judge.isTeamRole() ? judge.role() : judge.agent(),
                step.attempts, SemanticJudge.prompt(criterion, step.output == null ? "" : step.output),
                SemanticJudge.VERDICT_SCHEMA, step.deadline, limitsOf(judgeSpec(step)).effectiveMaxTokensPerCall(), judge,
                TaskTools.NONE);
    }

    /** Who judges a step's output: {@code validate.judgeRole}, else whoever ran the step. */
    private AgentRef judgeRef(StepRun step) {
        TeamRole named = namedJudge(step);
        return named != null ? AgentRef.teamRole(directory.team(), named.name()) : step.assignee;
    }

    private AgentSpec judgeSpec(StepRun step) {
        TeamRole named = namedJudge(step);
        return named != null ? named.agentSpec() : step.agentSpec;
    }

    private TeamRole namedJudge(StepRun step) {
        StepValidation validate = step.def.spec().validate();
        String name = validate == null ? null : validate.judgeRole();
        return name == null || name.isBlank() ? null : pipeline.role(name);
    }

    /**
     * Whether the outcome answers an attempt this run has not dispatched yet: the run was restored from an older copy
     * of its status than the one that sent the task. Such a result must wait for the newer copy, not be dropped.
     */
    public boolean isAhead(TaskOutcome outcome) {
        StepRun step = steps.get(outcome.step());
        return step != null && outcome.attempt() > step.attempts;
    }

    /**
     * Whether a delegate call comes from an attempt this run has not dispatched, or names a child this copy has not
     * made yet and cannot yet make (its parent is unknown): like {@link #isAhead}, it waits for a newer copy.
     */
    public boolean isAhead(DelegationRequest request) {
        StepRun step = steps.get(request.step());
        return step != null && request.attempt() > step.attempts;
    }

    /** The agents whose stream holds a step's current task: its judge's while the judge works, the router's while it routes. */
    public AgentRef queueOf(StepState state) {
        StepRun step = steps.get(state.name());
        if (step == null) {
            return AgentRef.teamRole(directory.team(), state.role());
        }
        if (state.taskId() != null && state.taskId().equals(judgeTaskId(step))) {
            return judgeRef(step);
        }
        if (state.taskId() != null && state.taskId().equals(routerTaskId(step))) {
            return routerRef();
        }
        return step.assignee != null ? step.assignee : AgentRef.teamRole(directory.team(), step.def.roleName());
    }

    /** The role whose stream holds a step's task (see {@link #queueOf}), for a role of the run's team. */
    public String queueRole(StepState state) {
        AgentRef ref = queueOf(state);
        return ref.isTeamRole() ? ref.role() : ref.agent();
    }

    private String judgeTaskId(StepRun step) {
        return TaskRequest.judgeTaskId(runId, step.def.name(), step.attempts);
    }

    private String routerTaskId(StepRun step) {
        return TaskRequest.taskId(runId, step.def.name(), step.attempts) + Router.TASK_SUFFIX;
    }

    /**
     * A run as it stood when it was last recorded (after an operator restart), with the full outputs of its steps.
     * Call {@link #resume} next, and send again the tasks of Running steps with {@link #currentTask} and the answers
     * callers wait for with {@link #owedReplies}; task ids are deterministic, so a transport can make that send
     * idempotent.
     */
    public static PipelineRun restore(Pipeline pipeline, String runId, ObjectNode resolvedInput, RunLimits limits,
                                      OutputChecker checker, RunRecord record) {
        return restore(pipeline, runId, resolvedInput, limits, checker, record, AgentDirectory.NONE);
    }

    /** @param agents the directory the run uses from now on, which also names the agents its steps were given */
    public static PipelineRun restore(Pipeline pipeline, String runId, ObjectNode resolvedInput, RunLimits limits,
                                      OutputChecker checker, RunRecord record, AgentDirectory agents) {
        PipelineRun run = new PipelineRun(pipeline, runId, resolvedInput, limits, checker).useDirectory(agents);
        run.phase = record.phase();
        run.startTime = record.startTime();
        run.completionTime = record.completionTime();
        run.runDeadline = record.deadline();
        run.failedStep = record.failedStep();
        run.message = record.message();
        run.reason = record.reason();
        run.output = record.output();
        run.control = record.control();
        if (run.phase == RunPhase.WaitingForApproval) {
            run.phase = RunPhase.Running; // what people see; the engine runs it as any running run
        }
        for (StepState saved : record.steps()) {
            StepRun step = run.steps.get(saved.name());
            if (step == null && saved.delegation() != null) {
                step = new StepRun(run.childDefinition(saved.name(), saved.role()));
                step.delegation = saved.delegation();
                run.steps.put(saved.name(), step);
                run.calls.put(callKey(saved.delegation().parent(), saved.delegation().parentAttempt(),
                        saved.delegation().call()), saved.name());
            }
            if (step == null) {
                continue;
            }
            step.phase = saved.phase() == StepPhase.WarmingUp ? StepPhase.Running : saved.phase();
            step.taskId = saved.taskId();
            step.attempts = saved.attempts();
            step.validationAttempts = saved.validationAttempts();
            step.startTime = saved.startTime();
            step.completionTime = saved.completionTime();
            step.deadline = saved.deadline();
            step.output = saved.output();
            step.message = saved.message();
            step.tokens = saved.tokens() == null ? TokenUsage.ZERO : saved.tokens();
            step.iterations = saved.iterations();
            step.queueWait = saved.queueWait();
            step.modelUse = saved.modelUse();
            step.skipReason = step.phase == StepPhase.Skipped ? saved.skipReason() : null;
            step.validationErrors = saved.validationErrors();
            run.restoreAssignment(step, saved.assignment());
            step.judging = step.phase == StepPhase.Running && run.judgeTaskId(step).equals(saved.taskId());
            step.routing = step.phase == StepPhase.Running && run.routerTaskId(step).equals(saved.taskId());
            if (step.isChild()) {
                step.prompt = step.delegation.task();
            }
            step.approval = saved.approval();
            step.origin = saved.origin();
            run.totalTokens = run.totalTokens.plus(step.tokens);
        }
        run.ready.clear();
        run.unfinished = 0;
        for (StepRun step : run.steps.values()) {
            if (!step.phase.isFinished()) {
                run.unfinished++;
            }
            if (step.phase == StepPhase.Running) {
                run.running.add(step);
            }
            if (step.phase == StepPhase.WaitingForApproval) {
                run.waiting.add(step);
            }
            if (step.letsDependentsRun() && !step.isChild()) {
                run.finishedSteps.put(step.def.name(), stepData(step));
            }
        }
        run.steps.values().forEach(run::countDependencies);
        run.stopDispatching = run.failedStep != null || (run.reason != null && run.reason.equals(REASON_BUDGET_EXCEEDED))
                || run.control.cancelled();
        return run;
    }

    /** The agent a restored step was given: by name from the directory, else as its role says. */
    private void restoreAssignment(StepRun step, StepState.Assignment saved) {
        if (saved != null && saved.agent() != null) {
            DirectoryAgent agent = directory.find(saved.agent()).orElse(null);
            step.assignee = agent != null ? agent.ref() : AgentRef.standalone(saved.agent());
            step.agentSpec = agent != null ? agent.spec() : null;
            step.capability = saved.capability();
            step.reason = saved.reason();
        } else if (step.def.role() != null) {
            assignRole(step, step.def.role());
        }
    }

    /** After {@link #restore}: dispatches what became ready while nobody was watching, and ends a run that is done. */
    public List<TaskRequest> resume(Instant now) {
        return advance(now);
    }

    /** The task a Running step waits on, rebuilt (same id, same prompt) so it can be sent again idempotently. */
    public Optional<TaskRequest> currentTask(String stepName) {
        StepRun step = steps.get(stepName);
        if (step == null || step.phase != StepPhase.Running) {
            return Optional.empty();
        }
        if (step.judging) {
            return Optional.of(judgeRequest(step));
        }
        if (step.routing) {
            return Optional.of(routerRequest(step));
        }
        String prompt = basePrompt(step);
        if (step.validationAttempts > 0 && !step.validationErrors.isEmpty()) {
            prompt = withFeedback(prompt, step.validationErrors);
        }
        return Optional.of(request(step, prompt));
    }

    /** The run's own deadline, if it has a timeout. */
    public Optional<Instant> runDeadline() {
        return Optional.ofNullable(runDeadline);
    }

    /** Fires the run and step deadlines that have passed. */
    public List<TaskRequest> onTime(Instant now) {
        if (phase != RunPhase.Running) {
            return List.of();
        }
        if (control.cancelled()) {
            abandonAfterCancel(now);
            return List.of();
        }
        if (!control.suspended() && runDeadline != null && !now.isBefore(runDeadline)) {
            timeOut(now);
            return List.of();
        }
        List<TaskRequest> dispatch = new ArrayList<>();
        for (StepRun step : List.copyOf(running)) {
            if (step.phase == StepPhase.Running && !now.isBefore(step.deadline)) {
                if (step.routing) {
                    routed(step, TaskOutcome.failure(step.def.name(), step.attempts, "the router did not answer within "
                            + seconds(Duration.ofSeconds(Router.LIMITS.effectiveTimeoutSeconds())), TokenUsage.ZERO),
                            now, dispatch);
                } else {
                    failStep(step, "timed out after " + seconds(timeout(step)), now);
                }
            }
        }
        if (!control.suspended()) {
            for (StepRun step : List.copyOf(waiting)) {
                if (step.deadline != null && !now.isBefore(step.deadline) && step.phase == StepPhase.WaitingForApproval) {
                    settleApproval(step, ApprovalGate.timedOut(step.def, step.approval, now), now);
                }
            }
        }
        dispatch.addAll(advance(now));
        return dispatch;
    }

    /** Resets failed and skipped steps (only {@code names} and what depends on them, when given) and resumes. */
    public List<TaskRequest> retry(Set<String> names, Instant now) {
        if (!(phase == RunPhase.Failed || phase == RunPhase.TimedOut)) {
            throw new IllegalStateException("only a Failed or TimedOut run can be retried; this one is " + phase);
        }
        for (String name : names) {
            StepRun step = steps.get(name);
            if (step == null || step.isChild()) {
                throw new IllegalArgumentException("no step \"" + name + "\" in this run (steps: "
                        + String.join(", ", pipeline.steps().stream().map(StepDefinition::name).toList()) + ")");
            }
            if (step.phase == StepPhase.Succeeded) {
                throw new IllegalArgumentException("step \"" + name + "\" succeeded; only failed or skipped steps are retried");
            }
        }
        Set<String> chosen = new HashSet<>(names);
        names.forEach(n -> chosen.addAll(pipeline.descendants(n)));
        for (StepRun step : steps.values()) {
            boolean resettable = !step.isChild() && (step.phase == StepPhase.Failed
                    || (step.phase == StepPhase.Skipped && step.skipReason != SkipReason.ConditionFalse));
            if ((names.isEmpty() || chosen.contains(step.def.name())) && resettable) {
                changed.add(step.def.name());
                step.reset();
                finishedSteps.remove(step.def.name());
                unfinished++;
            }
        }
        ready.clear();
        steps.values().forEach(this::countDependencies);
        phase = RunPhase.Running;
        completionTime = null;
        failedStep = null;
        message = null;
        reason = null;
        output = null;
        stopDispatching = false;
        runDeadline = limits.timeout() == null ? null : now.plus(limits.timeout());
        return advance(now);
    }

    /** The earliest moment {@link #onTime} has something to do, if any. */
    public Optional<Instant> nextDeadline() {
        if (phase != RunPhase.Running) {
            return Optional.empty();
        }
        // while suspended the run's and the approvals' timeouts pause; tasks already sent keep theirs
        Instant next = control.suspended() ? null : runDeadline;
        for (StepRun step : running) {
            if (next == null || step.deadline.isBefore(next)) {
                next = step.deadline;
            }
        }
        if (!control.suspended()) {
            for (StepRun step : waiting) {
                if (step.deadline != null && (next == null || step.deadline.isBefore(next))) {
                    next = step.deadline;
                }
            }
        }
        return Optional.ofNullable(next);
    }

    // ---- people steering a run: approvals, suspend, cancel; outputs from elsewhere: resume-from, the step cache ----

    /**
     * Applies a decision on an approval step that waits for one; a decision on any other step (not waiting yet, or
     * decided already) changes nothing, so transports may hand the same decision over again.
     */
    public List<TaskRequest> decide(ApprovalDecision decision, Instant now) {
        StepRun step = steps.get(decision.step());
        if (step == null || step.phase != StepPhase.WaitingForApproval || phase.isFinished()) {
            return List.of();
        }
        settleApproval(step, ApprovalGate.decide(step.approval, decision), now);
        return advance(now);
    }

    /** Steps waiting for a person, with what they ask. */
    public List<StepState> waitingForApproval() {
        return waiting.stream().map(StepRun::state).toList();
    }

    private void askForApproval(StepRun step, Map<String, Object> data, Instant now) {
        try {
            step.approval = ApprovalGate.ask(step.def, data);
        } catch (TemplateException e) {
            failStep(step, "approval.message: " + StepDataHint.message(List.of(ApprovalGate.template(step.def)),
                    finishedSteps, e), now);
            return;
        }
        changed.add(step.def.name());
        step.phase = StepPhase.WaitingForApproval;
        // each asking is an attempt: a decision is made for one asking, so a retried step asks afresh
        step.attempts++;
        step.startTime = now;
        step.deadline = ApprovalGate.timeout(step.def).map(now::plus).orElse(null);
        step.message = ApprovalGate.WAITING;
        waiting.add(step);
    }

    private void settleApproval(StepRun step, ApprovalGate.Settled settled, Instant now) {
        step.approval = settled.state();
        if (settled.approved()) {
            succeed(step, settled.output(), now);
            step.message = settled.message();
            return;
        }
        if (failedStep == null && reason == null) {
            reason = REASON_REJECTED;
            message = "step " + step.def.name() + " was " + settled.message();
        }
        failStep(step, settled.message(), now);
    }

    /**
     * Suspends the run (no new step starts, its own and its approvals' timeouts pause; running steps go on) or lifts
     * that, moving the paused deadlines on by the time suspended. Saying the same twice changes nothing.
     */
    public List<TaskRequest> setSuspended(boolean suspended, Instant now) {
        if (phase.isFinished() || suspended == control.suspended()) {
            return List.of();
        }
        if (suspended) {
            control = control.suspend(now);
            return List.of();
        }
        Instant since = startTime != null && startTime.isAfter(control.suspendedAt()) ? startTime : control.suspendedAt();
        Duration paused = now.isAfter(since) ? Duration.between(since, now) : Duration.ZERO;
        control = control.unsuspend();
        if (runDeadline != null) {
            runDeadline = runDeadline.plus(paused);
        }
        for (StepRun step : waiting) {
            if (step.deadline != null) {
                step.deadline = step.deadline.plus(paused);
                changed.add(step.def.name());
            }
        }
        return advance(now);
    }

    /**
     * Cancels the run: steps not started (or waiting for approval) become Cancelled at once; running steps are
     * returned so the transport can withdraw their queued tasks ({@link #taskWithdrawn}); a task an agent already
     * took ends and its result is kept. The run is Cancelled once no step runs. Cancelling twice changes nothing.
     */
    public List<StepState> cancel(Instant now) {
        if (phase.isFinished() || control.cancelled()) {
            return List.of();
        }
        control = control.cancel(now);
        stopDispatching = true;
        if (phase == RunPhase.Pending) {
            phase = RunPhase.Running;
            startTime = now;
        }
        for (StepRun step : steps.values()) {
            if (step.phase == StepPhase.Pending || step.phase == StepPhase.WaitingForApproval) {
                step.message = "cancelled";
                finish(step, StepPhase.Cancelled, now);
            }
        }
        ready.clear();
        List<StepState> taken = running.stream().map(StepRun::state).toList();
        finishIfDone(now);
        return taken;
    }

    /** After {@link #cancel}: the transport took back a step's task before any agent took it. */
    public void taskWithdrawn(String stepName, Instant now) {
        StepRun step = steps.get(stepName);
        if (step == null || step.phase != StepPhase.Running || !control.cancelled()) {
            return;
        }
        step.message = "cancelled before an agent took its task";
        finish(step, StepPhase.Cancelled, now);
        finishIfDone(now);
    }

    /** A cancelled run's step that was running: its answer is kept, and it starts nothing after it. */
    private void endWhileCancelled(StepRun step, TaskOutcome outcome, Instant now) {
        if (!outcome.succeeded()) {
            step.message = outcome.error() == null ? "task failed" : outcome.error();
            finish(step, StepPhase.Failed, now);
            return;
        }
        String candidate = step.judging ? step.output : outcome.output();
        if (!step.judging) {
            OutputCheck check = checker.check(step.def.spec(), outcome.output());
            candidate = check.output();
            if (check.passed() && OutputChecker.semanticCriterion(step.def.spec()).isEmpty()
                    && step.def.loopCondition() == null) {
                succeed(step, candidate, now);
                return;
            }
        }
        step.judging = false;
        step.output = candidate;
        step.message = "cancelled: the run was cancelled before the step's answer was accepted; its last answer is kept";
        finish(step, StepPhase.Cancelled, now);
    }

    /** A cancelled run's tasks that nobody answered in time, or its own timeout: it ends. */
    private void abandonAfterCancel(Instant now) {
        boolean runOver = runDeadline != null && !now.isBefore(runDeadline);
        for (StepRun step : List.copyOf(running)) {
            if (runOver || !now.isBefore(step.deadline)) {
                step.message = "cancelled: its agent did not answer in time";
                finish(step, StepPhase.Cancelled, now);
            }
        }
        finishIfDone(now);
    }

    /** What people asked of the run: suspended since, cancelled at. */
    public RunControl control() {
        return control;
    }

    /**
     * Before {@link #start}: the steps of an earlier run this one keeps (see {@link ResumePoint}) are finished with
     * their recorded outputs, no tokens, and the earlier run named as their origin.
     */
    public void reuse(ResumePoint from) {
        if (phase != RunPhase.Pending) {
            throw new IllegalStateException("a run reuses earlier outputs before it starts");
        }
        for (StepState saved : from.reused(pipeline).values()) {
            StepRun step = steps.get(saved.name());
            changed.add(step.def.name());
            step.phase = saved.phase();
            step.skipReason = saved.skipReason();
            step.output = saved.output();
            step.iterations = saved.iterations();
            step.approval = saved.approval();
            step.origin = OutputOrigin.reused(from.sourceRun());
            step.message = "reused from run " + from.sourceRun();
            unfinished--;
            finishedSteps.put(step.def.name(), stepData(step));
        }
        ready.clear();
        steps.values().forEach(this::countDependencies);
    }

    /**
     * Whether a task may be answered from the step cache instead of a model: the first try of a cached step's own
     * prompt (not a retry with feedback, not its judge's call).
     */
    public Optional<CacheLookup> cacheLookup(TaskRequest task) {
        StepRun step = steps.get(task.step());
        if (step == null || step.phase != StepPhase.Running || step.judging || step.validationAttempts > 0
                || !task.taskId().equals(step.taskId)) {
            return Optional.empty();
        }
        return StepCaching.maxAge(pipeline, step.def)
                .map(maxAge -> new CacheLookup(step.def.name(), step.def.role().name(), cacheKey(step), maxAge));
    }

    /** Answers accepted since the last call that the transport should keep in the step cache. */
    public List<CacheWrite> drainCacheWrites() {
        List<CacheWrite> drained = List.copyOf(cacheWrites);
        cacheWrites.clear();
        return drained;
    }

    private String cacheKey(StepRun step) {
        return StepCacheKey.of(pipeline, step.def, basePrompt(step));
    }

    /** An answer from the step cache: accepted as it was when first accepted, for no tokens. */
    private void fromCache(StepRun step, TaskOutcome outcome, Instant now) {
        step.origin = outcome.origin();
        succeed(step, outcome.output(), now);
        step.message = "cached: the output of run " + outcome.origin().run();
    }

    /** The run as a transport records it; {@link #restore} carries on from it. */
    public RunRecord record() {
        return new RunRecord(phase(), startTime, completionTime, runDeadline, failedStep, message, reason, output,
                steps(), control);
    }

    private List<TaskRequest> advance(Instant now) {
        List<TaskRequest> dispatch = new ArrayList<>();
        if (phase != RunPhase.Running) {
            return dispatch;
        }
        if (budgetExceeded() && !stopDispatching) {
            stopDispatching = true;
            reason = REASON_BUDGET_EXCEEDED;
            message = "run token budget of " + limits.maxTokens() + " tokens exceeded (used " + totalTokens.totalTokens() + ")";
            skipPending("skipped: " + message, SkipReason.BudgetExceeded, now);
        }
        while (!stopDispatching && !control.suspended() && !ready.isEmpty()) {
            StepRun step = ready.poll();
            if (step.phase != StepPhase.Pending) {
                continue;
            }
            Map<String, Object> data = templateData();
            if (step.def.condition() != null) {
                try {
                    if (!Conditions.isTrue(step.def.condition().render(data))) {
                        skip(step, SKIPPED_BY_CONDITION + " (" + step.def.spec().condition() + ")",
                                SkipReason.ConditionFalse, now);
                        continue;
                    }
                } catch (TemplateException e) {
                    failStep(step, "if: " + StepDataHint.message(List.of(step.def.condition()), finishedSteps, e), now);
                    continue;
                }
            }
            if (step.def.spec().waitsForApproval()) {
                askForApproval(step, data, now);
                continue;
            }
            if (step.def.kind() == StepDefinition.Kind.ROUTE) {
                startRoute(step, now).ifPresent(dispatch::add);
                continue;
            }
            if (step.def.kind() == StepDefinition.Kind.ENTRY) {
                step.prompt = entryText;
            } else {
                try {
                    step.prompt = Prompts.render(step.def.inputs(), promptData(step, data, 0));
                } catch (TemplateException e) {
                    failStep(step, "inputs: " + StepDataHint.message(step.def.inputs().values(), finishedSteps, e), now);
                    continue;
                }
            }
            Optional<String> unassigned = assign(step);
            if (unassigned.isPresent()) {
                step.startTime = now;
                failStep(step, unassigned.get(), now);
                continue;
            }
            step.iterations = 1;
            dispatch.add(dispatch(step, step.prompt, now));
        }
        finishIfDone(now);
        return dispatch;
    }

    /** Gives a step its agent: its role's, or for a registryLookup the one the directory finds; else says why not. */
    private Optional<String> assign(StepRun step) {
        if (step.def.lookup() == null) {
            assignRole(step, step.def.role());
            return Optional.empty();
        }
        AgentResolver.Resolution found = AgentResolver.lookup(step.def.lookup(), directory);
        if (found.choice() != null) {
            assignAgent(step, found.choice());
            return Optional.empty();
        }
        if (step.def.role() != null) {
            assignRole(step, step.def.role());
            step.reason = found.problem() + "; the step's role " + step.def.role().name() + " runs it";
            return Optional.empty();
        }
        return Optional.of("registryLookup: " + found.problem());
    }

    private void assignRole(StepRun step, TeamRole role) {
        step.assignee = AgentRef.teamRole(directory.team(), role.name());
        step.agentSpec = role.agentSpec();
    }

    private void assignAgent(StepRun step, AgentResolver.Choice choice) {
        step.assignee = choice.agent().ref();
        step.agentSpec = choice.agent().spec();
        step.capability = choice.capability();
        step.reason = choice.reason();
        step.resolved = true;
        changed.add(step.def.name());
    }

    /**
     * A routed run's step starts: the router is asked to choose among the directory's capabilities, unless there is
     * nothing to choose from, when the fallback takes the task at once.
     */
    private Optional<TaskRequest> startRoute(StepRun step, Instant now) {
        changed.add(step.def.name());
        step.phase = StepPhase.Running;
        running.add(step);
        step.attempts++;
        step.startTime = step.startTime == null ? now : step.startTime;
        step.iterations = 1;
        step.prompt = entryText;
        Optional<String> problem = directory.registryProblem();
        List<Capability> offered = AgentResolver.offered(directory);
        if (problem.isPresent() || offered.isEmpty()) {
            return routeToFallback(step, problem.orElse("the registry indexes no capabilities"), now);
        }
        step.routing = true;
        step.taskId = routerTaskId(step);
        step.deadline = now.plus(Duration.ofSeconds(Router.LIMITS.effectiveTimeoutSeconds()));
        step.message = "routing: " + pipeline.spec().routing().model() + " chooses among " + offered.size()
                + " capabilities";
        return Optional.of(routerRequest(step));
    }

    private TaskRequest routerRequest(StepRun step) {
        List<Capability> offered = AgentResolver.offered(directory);
        return new TaskRequest(step.taskId, runId, step.def.name(), Router.ROLE, step.attempts,
                Router.prompt(entryText, offered), null, step.deadline, Router.LIMITS.effectiveMaxTokensPerCall(),
                routerRef(), TaskTools.routing(offered));
    }

    private AgentRef routerRef() {
        return AgentRef.teamRole(directory.team(), Router.ROLE);
    }

    /** The router answered (or failed): the task goes to the agent holding the capability it chose, else the fallback. */
    private void routed(StepRun step, TaskOutcome outcome, Instant now, List<TaskRequest> dispatch) {
        step.routing = false;
        if (!outcome.succeeded()) {
            routeToFallback(step, "the router call failed: " + (outcome.error() == null ? "task failed" : outcome.error()),
                    now).ifPresent(dispatch::add);
            return;
        }
        Optional<Router.Choice> choice = Router.read(outcome.output());
        if (choice.isEmpty()) {
            routeToFallback(step, "the router chose no capability (" + excerpt(outcome.output()) + ")", now)
                    .ifPresent(dispatch::add);
            return;
        }
        String capability = choice.get().capability();
        Optional<AgentResolver.Choice> holder = AgentResolver.holderOf(capability, directory, choice.get().reason());
        if (holder.isEmpty()) {
            routeToFallback(step, "the router chose " + capability + ", which no agent has", now).ifPresent(dispatch::add);
            return;
        }
        assignAgent(step, holder.get());
        dispatch.add(sendRouted(step, now));
    }

    private Optional<TaskRequest> routeToFallback(StepRun step, String why, Instant now) {
        String fallback = pipeline.spec().routing().fallback();
        if (fallback == null || fallback.isBlank()) {
            failStep(step, "routing: " + why + ", and spec.routing.fallback is not set", now);
            return Optional.empty();
        }
        AgentResolver.Resolution found = AgentResolver.fallback(fallback, directory, why);
        if (found.choice() == null) {
            failStep(step, "routing: " + found.problem(), now);
            return Optional.empty();
        }
        assignAgent(step, found.choice());
        return Optional.of(sendRouted(step, now));
    }

    /** The routed step's task on its chosen agent: the same attempt as the router call that chose it. */
    private TaskRequest sendRouted(StepRun step, Instant now) {
        changed.add(step.def.name());
        step.taskId = TaskRequest.taskId(runId, step.def.name(), step.attempts);
        step.deadline = now.plus(timeout(step));
        step.message = null;
        return request(step, basePrompt(step));
    }

    private static String excerpt(String text) {
        String flat = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return flat.isEmpty() ? "an empty answer" : "\"" + (flat.length() > 200 ? flat.substring(0, 200) + "…" : flat) + "\"";
    }

    private TaskRequest dispatch(StepRun step, String prompt, Instant now) {
        changed.add(step.def.name());
        step.phase = StepPhase.Running;
        running.add(step);
        step.attempts++;
        abandonChildren(step, "step " + step.def.name() + " started attempt " + step.attempts, now);
        step.taskId = TaskRequest.taskId(runId, step.def.name(), step.attempts);
        step.startTime = step.startTime == null ? now : step.startTime;
        Instant deadline = now.plus(timeout(step));
        StepRun parent = step.isChild() ? steps.get(step.delegation.parent()) : null;
        // a delegated step never outlives the step that waits for it
        step.deadline = parent != null && parent.deadline != null && parent.deadline.isBefore(deadline) ? parent.deadline : deadline;
        step.message = null;
        return request(step, prompt);
    }

    private TaskRequest request(StepRun step, String prompt) {
        return new TaskRequest(step.taskId, runId, step.def.name(), step.def.roleName(), step.attempts, prompt,
                step.def.spec().effectiveSchema(), step.deadline, limitsOf(step.agentSpec).effectiveMaxTokensPerCall(),
                step.assignee, tools(step));
    }

    /** A role of the team that may delegate is offered the delegate tool, whatever step it runs. */
    private TaskTools tools(StepRun step) {
        if (step.assignee == null || !step.assignee.isTeamRole() || step.assignee.team() != null
                && !step.assignee.team().equals(directory.team())) {
            return TaskTools.NONE;
        }
        TeamRole role = pipeline.role(step.assignee.role());
        return role == null || role.delegates().isEmpty() ? TaskTools.NONE : TaskTools.delegating(role.delegates());
    }

    /** Step timeoutSeconds, else its agent's limits.timeoutSeconds. */
    private Duration timeout(StepRun step) {
        Integer seconds = step.def.spec().timeoutSeconds();
        return Duration.ofSeconds(seconds != null ? seconds : limitsOf(step.agentSpec).effectiveTimeoutSeconds());
    }

    private static AgentLimits limitsOf(AgentSpec spec) {
        return spec == null ? AgentLimits.DEFAULTS : spec.effectiveLimits();
    }

    /**
     * A loop step's iteration succeeded: with the condition true (rendered over the latest output) and iterations left,
     * the step runs again as a new attempt; otherwise it succeeds with this output and its dependents may start.
     */
    private Optional<TaskRequest> endIteration(StepRun step, String stepOutput, Instant now) {
        int max = step.def.maxIterations();
        String ended;
        if (step.iterations >= max) {
            ended = "loop ended: maxIterations (" + max + ") reached";
        } else if (budgetExceeded()) {
            ended = "loop ended after " + step.iterations + " iteration(s): the run's token budget is exceeded";
        } else {
            boolean again;
            try {
                again = Conditions.isTrue(step.def.loopCondition().render(
                        withSelf(step, templateData(), stepOutput, step.iterations, StepPhase.Succeeded)));
            } catch (TemplateException e) {
                step.output = stepOutput;
                failStep(step, "loop.condition: " + e.getMessage(), now);
                return Optional.empty();
            }
            if (again) {
                return Optional.ofNullable(nextIteration(step, stepOutput, now));
            }
            ended = "loop ended after " + step.iterations + " iteration(s): the condition is false";
        }
        succeed(step, stepOutput, now);
        step.message = ended;
        return Optional.empty();
    }

    private TaskRequest nextIteration(StepRun step, String stepOutput, Instant now) {
        replacedIterations.add(new IterationOutput(step.def.name(), step.def.roleName(), step.iterations, stepOutput));
        step.output = stepOutput;
        try {
            step.prompt = Prompts.render(step.def.inputs(), promptData(step, templateData(), step.iterations));
        } catch (TemplateException e) {
            failStep(step, "inputs: " + e.getMessage(), now);
            return null;
        }
        step.iterations++;
        step.validationAttempts = 0;
        step.validationErrors = List.of();
        TaskRequest task = dispatch(step, step.prompt, now);
        step.message = "loop iteration " + step.iterations + "/" + step.def.maxIterations();
        return task;
    }

    /** What a step's inputs see; a loop step also sees itself: its last output and how many iterations are done. */
    private Map<String, Object> promptData(StepRun step, Map<String, Object> data, int done) {
        if (step.def.loopCondition() == null) {
            return data;
        }
        return withSelf(step, data, step.output, done, done == 0 ? StepPhase.Pending : StepPhase.Running);
    }

    private static Map<String, Object> withSelf(StepRun step, Map<String, Object> data, String output, int iteration,
                                                StepPhase phase) {
        Map<String, Object> self = new HashMap<>();
        self.put("output", output == null ? "" : output);
        self.put("phase", phase.name());
        self.put("iteration", iteration);
        TemplateData.parseJson(output).ifPresent(json -> self.put("data", json));
        @SuppressWarnings("unchecked")
        Map<String, Object> steps = new HashMap<>((Map<String, Object>) data.get("steps"));
        steps.put(step.def.name(), self);
        Map<String, Object> result = new HashMap<>(data);
        result.put("steps", steps);
        return result;
    }

    private void succeed(StepRun step, String stepOutput, Instant now) {
        step.output = stepOutput;
        step.message = step.modelUse.note();
        step.validationErrors = List.of();
        finish(step, StepPhase.Succeeded, now);
        if (step.origin == null) {
            StepCaching.maxAge(pipeline, step.def).ifPresent(maxAge -> cacheWrites.add(new CacheWrite(step.def.name(),
                    step.def.role().name(), cacheKey(step), maxAge, stepOutput, step.tokens, runId, now)));
        }
    }

    /** Moves a step to a finished phase, releases the steps waiting on it and answers its caller if it was delegated. */
    private void finish(StepRun step, StepPhase finished, Instant now) {
        changed.add(step.def.name());
        step.phase = finished;
        step.completionTime = now;
        step.judging = false;
        step.routing = false;
        running.remove(step);
        waiting.remove(step);
        unfinished--;
        abandonChildren(step, "step " + step.def.name() + " ended", now);
        if (step.isChild()) {
            reply(step);
            return;
        }
        if (step.letsDependentsRun()) {
            finishedSteps.put(step.def.name(), stepData(step));
            for (String name : pipeline.dependents(step.def.name())) {
                StepRun dependent = steps.get(name);
                if (--dependent.unmetDependencies == 0 && dependent.phase == StepPhase.Pending) {
                    ready.add(dependent);
                }
            }
        }
    }

    /** Steps a step delegated that still run when it moves on: nobody waits for them any more. */
    private void abandonChildren(StepRun step, String why, Instant now) {
        for (StepRun child : List.copyOf(running)) {
            if (child.isChild() && child.delegation.parent().equals(step.def.name())
                    && (step.phase != StepPhase.Running || child.delegation.parentAttempt() < step.attempts)) {
                child.message = "abandoned: " + why;
                finish(child, StepPhase.Failed, now);
            }
        }
    }

    private void failStep(StepRun step, String why, Instant now) {
        step.message = why;
        finish(step, StepPhase.Failed, now);
        if (step.isChild()) {
            return; // its caller reads why, and decides
        }
        if (failedStep == null) {
            failedStep = step.def.name();
            if (reason == null) {
                reason = REASON_STEP_FAILED;
                message = "step " + step.def.name() + " failed: " + why;
            }
        }
        for (String name : pipeline.descendants(step.def.name())) {
            StepRun d = steps.get(name);
            if (d.phase == StepPhase.Pending) {
                skip(d, "skipped: depends on failed step " + step.def.name(), SkipReason.DependencyFailed, now);
            }
        }
        // A failed run starts no new work; running branches finish and keep their outputs.
        stopDispatching = true;
        skipPending("skipped: the run failed at step " + failedStep, SkipReason.RunFailed, now);
    }

    private void timeOut(Instant now) {
        phase = RunPhase.TimedOut; // first, so the steps abandoned below answer no caller
        for (StepRun step : List.copyOf(running)) {
            if (step.phase == StepPhase.Running) {
                step.message = "abandoned: the run timed out";
                finish(step, StepPhase.Failed, now);
            }
        }
        for (StepRun step : List.copyOf(waiting)) {
            step.message = "abandoned: the run timed out while the step waited for approval";
            finish(step, StepPhase.Failed, now);
        }
        skipPending("skipped: the run timed out", SkipReason.RunTimedOut, now);
        reason = REASON_TIMED_OUT;
        message = "run timed out after " + seconds(limits.timeout());
        completionTime = now;
    }

    /** Steps not started, and approvals nobody needs to decide any more, are skipped. */
    private void skipPending(String why, SkipReason reason, Instant now) {
        for (StepRun step : steps.values()) {
            if (step.phase == StepPhase.Pending || step.phase == StepPhase.WaitingForApproval) {
                skip(step, why, reason, now);
            }
        }
    }

    private void skip(StepRun step, String why, SkipReason reason, Instant now) {
        step.message = why;
        step.skipReason = reason;
        finish(step, StepPhase.Skipped, now);
    }

    private void finishIfDone(Instant now) {
        if (phase != RunPhase.Running || unfinished > 0) {
            return;
        }
        completionTime = now;
        if (control.cancelled()) {
            phase = RunPhase.Cancelled;
            reason = REASON_CANCELLED;
            message = "the run was cancelled";
            return;
        }
        if (failedStep != null || stopDispatching) {
            phase = RunPhase.Failed;
            return;
        }
        try {
            output = runOutput();
            phase = RunPhase.Succeeded;
        } catch (TemplateException e) {
            phase = RunPhase.Failed;
            reason = REASON_OUTPUT_TEMPLATE;
            message = "output: " + StepDataHint.message(java.util.Collections.singletonList(pipeline.output()), finishedSteps, e);
        }
    }

    private String runOutput() throws TemplateException {
        Template template = pipeline.output();
        if (template != null) {
            return template.render(templateData());
        }
        List<StepDefinition> defs = pipeline.steps();
        for (int i = defs.size() - 1; i >= 0; i--) {
            StepRun step = steps.get(defs.get(i).name());
            if (step.phase == StepPhase.Succeeded) {
                return step.output;
            }
        }
        return "";
    }

    private boolean budgetExceeded() {
        return limits.maxTokens() != null && totalTokens.totalTokens() > limits.maxTokens();
    }

    private Map<String, Object> templateData() {
        Map<String, Object> data = new HashMap<>();
        data.put("input", input);
        data.put("steps", finishedSteps);
        return data;
    }

    private static Map<String, Object> stepData(StepRun step) {
        Map<String, Object> data = new HashMap<>();
        data.put("output", step.output == null ? "" : step.output);
        data.put("phase", step.phase.name());
        data.put("iteration", step.iterations);
        TemplateData.parseJson(step.output).ifPresent(json -> data.put("data", json));
        return data;
    }

    /** The step's own prompt; after a restore it is rendered again from the (deterministic) templates. */
    private String basePrompt(StepRun step) {
        if (step.prompt == null) {
            if (step.def.kind() == StepDefinition.Kind.ENTRY || step.def.kind() == StepDefinition.Kind.ROUTE) {
                step.prompt = entryText;
                return step.prompt;
            }
            try {
                step.prompt = Prompts.render(step.def.inputs(), promptData(step, templateData(), Math.max(0, step.iterations - 1)));
            } catch (TemplateException e) {
                step.prompt = "";
            }
        }
        return step.prompt;
    }

    private static String withFeedback(String prompt, List<String> errors) {
        StringBuilder text = new StringBuilder(prompt).append("\n\nYour previous answer was rejected:\n");
        errors.forEach(e -> text.append("- ").append(e).append('\n'));
        return text.append("Answer again and fix these problems.").toString();
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }

    /** The run's phase; a running run with a step waiting for a person is WaitingForApproval. */
    public RunPhase phase() {
        return phase == RunPhase.Running && !waiting.isEmpty() ? RunPhase.WaitingForApproval : phase;
    }

    public String runId() {
        return runId;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /** How long one attempt of the step may take (its own timeout, else its agent's); null for no such step. */
    public Duration attemptTimeout(String step) {
        StepRun run = steps.get(step);
        return run == null ? null : timeout(run);
    }

    /** A step's definition: one of the pipeline's, or a delegated step's. */
    public StepDefinition definition(String step) {
        StepRun run = steps.get(step);
        return run == null ? null : run.def;
    }

    /** The directory the run uses. */
    public AgentDirectory directory() {
        return directory;
    }

    public Instant startTime() {
        return startTime;
    }

    public Instant completionTime() {
        return completionTime;
    }

    public TokenUsage totalTokens() {
        return totalTokens;
    }

    public String failedStep() {
        return failedStep;
    }

    /** Why the run failed, in words, or null. */
    public String message() {
        return message;
    }

    /** A CamelCase reason for conditions and Events (StepFailed, BudgetExceeded, TimedOut), or null. */
    public String reason() {
        return reason;
    }

    /** The run's output once it Succeeded, else null. */
    public String output() {
        return output;
    }

    /** Outputs of loop iterations that later iterations replaced, since the last call; a transport keeps them. */
    public List<IterationOutput> drainReplacedIterations() {
        List<IterationOutput> drained = List.copyOf(replacedIterations);
        replacedIterations.clear();
        return drained;
    }

    /** Steps whose state changed since the last call, in the order they changed; lets drivers report progress cheaply. */
    public List<StepState> drainChanges() {
        List<StepState> states = changed.stream().map(this::step).toList();
        changed.clear();
        return states;
    }

    public List<StepState> steps() {
        return steps.values().stream().map(StepRun::state).toList();
    }

    public StepState step(String name) {
        StepRun step = steps.get(name);
        return step == null ? null : step.state();
    }
}
