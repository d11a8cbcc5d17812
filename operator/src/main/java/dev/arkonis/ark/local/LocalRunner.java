package dev.arkonis.ark.local;

import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.flow.AgentRef;
import dev.arkonis.ark.flow.ApprovalDecision;
import dev.arkonis.ark.flow.CacheLookup;
import dev.arkonis.ark.flow.DelegationReply;
import dev.arkonis.ark.flow.DelegationRequest;
import dev.arkonis.ark.flow.DirectoryAgent;
import dev.arkonis.ark.flow.OutputOrigin;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.StepCacheStore;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskOutcome;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.ModelTaskExecutor;
import dev.arkonis.ark.llm.tools.BuiltinTools;
import dev.arkonis.ark.llm.tools.Delegator;
import dev.arkonis.ark.llm.tools.ToolException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a team in-process: the engine decides, worker threads call the models, results, delegate calls and approval
 * decisions come back through one queue to the thread that drives the engine. Each agent (a role of the team, or an
 * agent of the file that routing or a lookup chose) gets as many concurrent tasks as its replicas times
 * maxConcurrentTasks, as it would in a cluster; a task that delegates holds its slot while it waits, as an agent pod's
 * does. A task the step cache can answer is answered from it, without a model call.
 */
public final class LocalRunner {
    private final ProviderSource providers;
    private final LocalRunObserver observer;
    private final Clock clock;
    private final LocalTrace trace;
    private final StepCacheStore cache;
    private final Approver approver;

    public LocalRunner(ProviderSource providers, LocalRunObserver observer, Clock clock) {
        this(providers, observer, clock, LocalTrace.none());
    }

    public LocalRunner(ProviderSource providers, LocalRunObserver observer, Clock clock, LocalTrace trace) {
        this(providers, observer, clock, trace, StepCacheStore.NONE, Approver.NONE);
    }

    /**
     * @param cache    answers of cached steps kept between runs
     * @param approver who decides the run's approval steps
     */
    public LocalRunner(ProviderSource providers, LocalRunObserver observer, Clock clock, LocalTrace trace,
                       StepCacheStore cache, Approver approver) {
        this.providers = providers;
        this.observer = observer;
        this.clock = clock;
        this.trace = trace;
        this.cache = cache;
        this.approver = approver;
    }

    /** What comes back to the driving thread: a task's outcome, a delegate call waiting for its answer, a decision. */
    sealed interface Event permits Finished, Delegation, Decided {
    }

    /** A decision on an approval step. */
    record Decided(ApprovalDecision decision) implements Event {
    }

    /** A task's outcome, the task it answers, how long its call took and how long it waited for a slot first. */
    record Finished(TaskOutcome outcome, Duration took, String taskId) implements Event {
        /** The engine sums the wait into its step, as it does a cluster agent's. */
        Finished waited(Duration wait) {
            return new Finished(outcome.withQueueWait(wait), took, taskId);
        }

        Duration queueWait() {
            return outcome.queueWait() == null ? Duration.ZERO : outcome.queueWait();
        }
    }

    /** A model's delegate call, and where its answer goes. */
    record Delegation(DelegationRequest request, CompletableFuture<String> answer) implements Event {
    }

    /** How many tasks each agent has queued or in progress: what least-busy compares. */
    public static final class Loads {
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        public int of(AgentRef agent) {
            AtomicInteger n = counts.get(agent.agent());
            return n == null ? 0 : n.get();
        }

        AtomicInteger counter(AgentRef agent) {
            return counts.computeIfAbsent(agent.agent(), k -> new AtomicInteger());
        }
    }

    /** The agents a run may send tasks to: its team's roles and its directory's agents, each with its provider and cap. */
    static final class Agents {
        private final Map<String, Worker> workers = new HashMap<>();

        /** Sets up every agent's provider now, so a missing key fails before any task runs. */
        static Agents of(PipelineRun run, ProviderSource providers, LocalRunObserver observer, Clock clock,
                         LocalTrace trace) throws LlmException {
            Agents agents = new Agents();
            String team = run.directory().team();
            for (TeamRole role : run.pipeline().roles().values()) {
                agents.add(AgentRef.teamRole(team, role.name()).agent(), role, providers.forRole(role), observer, clock, trace);
            }
            for (DirectoryAgent agent : run.directory().all()) {
                if (!agents.workers.containsKey(agent.name())) {
                    TeamRole asRole = TeamRole.fromAgent(agent.name(), agent.spec());
                    agents.add(agent.name(), asRole, providers.forRole(asRole), observer, clock, trace);
                }
            }
            return agents;
        }

        private void add(String name, TeamRole role, LlmProvider provider, LocalRunObserver observer, Clock clock,
                         LocalTrace trace) {
            workers.put(name, new Worker(role, provider, observer, clock, trace));
        }

        Worker worker(AgentRef agent) {
            Worker worker = workers.get(agent.agent());
            if (worker == null) {
                throw new IllegalStateException("no agent " + agent.agent() + " in this run");
            }
            return worker;
        }

    }

    /** Runs to the end and returns the finished run. Provider set-up errors are thrown before any task runs. */
    public PipelineRun run(PipelineRun run) throws LlmException, InterruptedException {
        return run(run, new Loads());
    }

    /** @param loads where the run counts each agent's tasks, which its directory reads for least-busy lookups */
    public PipelineRun run(PipelineRun run, Loads loads) throws LlmException, InterruptedException {
        Agents agents = Agents.of(run, providers, observer, clock, trace);
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
        AttemptBook attempts = new AttemptBook();
        Set<String> asked = new HashSet<>();
        ExecutorService executor = Executors.newCachedThreadPool(DaemonThreads.named("ark-local-worker"));
        try {
            Instant started = clock.instant();
            trace.runStarted(run, started);
            dispatch(run, run.start(started), agents, loads, executor, events);
            answer(run, waiting);
            report(run, asked, events);
            while (!run.phase().isFinished()) {
                Optional<Instant> deadline = run.nextDeadline();
                Event event = deadline.isPresent()
                        ? poll(events, Math.max(0, Duration.between(clock.instant(), deadline.get()).toMillis()))
                        : take(events);
                List<TaskRequest> next;
                Instant now = clock.instant();
                if (event == null) {
                    next = run.onTime(now);
                } else if (event instanceof Decided decided) {
                    next = run.decide(decided.decision(), now);
                } else if (event instanceof Delegation call) {
                    DelegationRequest request = call.request();
                    waiting.put(key(request.step(), request.attempt(), request.call()), call.answer());
                    next = run.onDelegation(request, now);
                } else {
                    Finished finished = (Finished) event;
                    boolean current = isCurrent(run, finished);
                    next = run.onResult(finished.outcome(), now);
                    trace.resultApplied(finished.taskId(), finished.outcome(), now);
                    if (current) {
                        attempts.settle(finished, run.step(finished.outcome().step())).ifPresent(observer::attemptFinished);
                    }
                }
                dispatch(run, next, agents, loads, executor, events);
                answer(run, waiting);
                report(run, asked, events);
            }
            trace.runFinished(run, clock.instant());
            observer.runFinished(run);
            return run;
        } finally {
            executor.shutdownNow();
        }
    }

    /** Hands each answer the engine has for a delegate call to the tool loop that waits for it. */
    private static void answer(PipelineRun run, Map<String, CompletableFuture<String>> waiting) {
        for (DelegationReply reply : run.drainReplies()) {
            CompletableFuture<String> future = waiting.remove(key(reply.step(), reply.attempt(), reply.call()));
            if (future != null) {
                future.complete(reply.text());
            }
        }
    }

    private static String key(String step, int attempt, int call) {
        return step + "#" + attempt + "#" + call;
    }

    /** A result the run will apply: it answers the task its step waits on. */
    private static boolean isCurrent(PipelineRun run, Finished finished) {
        StepState step = run.step(finished.outcome().step());
        return step != null && step.phase() == StepPhase.Running && finished.taskId().equals(step.taskId())
                && !run.phase().isFinished();
    }

    /** Tells the observer what changed, asks about steps that started waiting for approval, keeps accepted answers. */
    private void report(PipelineRun run, Set<String> asked, BlockingQueue<Event> events) {
        for (StepState step : run.drainChanges()) {
            observer.stepChanged(step);
            if (step.phase() == StepPhase.WaitingForApproval && asked.add(step.name())) {
                approver.ask(step, decision -> events.add(new Decided(decision)));
            } else if (step.phase() != StepPhase.WaitingForApproval && asked.remove(step.name())) {
                approver.settled(step);
            }
        }
        run.drainCacheWrites().forEach(cache::keep);
    }

    private void dispatch(PipelineRun run, List<TaskRequest> tasks, Agents agents, Loads loads, ExecutorService executor,
                          BlockingQueue<Event> events) {
        for (TaskRequest task : tasks) {
            Instant queued = clock.instant();
            trace.dispatched(task, queued);
            Optional<Finished> cached = fromCache(run, task);
            if (cached.isPresent()) {
                events.add(cached.get());
                continue;
            }
            Worker worker = agents.worker(task.agent());
            AtomicInteger load = loads.counter(task.agent());
            load.incrementAndGet();
            Delegator delegator = (call, role, text) -> delegate(events, task, call, role, text);
            executor.execute(() -> {
                try {
                    events.add(worker.work(task, queued, delegator));
                } finally {
                    load.decrementAndGet();
                }
            });
        }
    }

    /** The answer the step cache holds for the task, if the engine lets it be answered so and one is young enough. */
    private Optional<Finished> fromCache(PipelineRun run, TaskRequest task) {
        Optional<CacheLookup> lookup = run.cacheLookup(task);
        if (lookup.isEmpty()) {
            return Optional.empty();
        }
        return cache.find(lookup.get(), clock.instant()).map(answer -> {
            observer.answeredFromCache(task.step(), answer);
            return new Finished(TaskOutcome.cached(task.step(), task.attempt(), answer.output(),
                    OutputOrigin.cached(answer.run(), answer.at())).forTask(task.taskId()), Duration.ZERO, task.taskId());
        });
    }

    /** A worker's delegate call: the engine decides on it, the answer comes back before the task's deadline or never. */
    private String delegate(BlockingQueue<Event> events, TaskRequest task, int call, String role, String text)
            throws ToolException {
        CompletableFuture<String> answer = new CompletableFuture<>();
        events.add(new Delegation(new DelegationRequest(task.step(), task.attempt(), call, role, text), answer));
        try {
            long wait = task.deadline() == null ? Long.MAX_VALUE
                    : Math.max(1, Duration.between(clock.instant(), task.deadline()).toMillis());
            return answer.get(wait, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ToolException("no answer from " + role + " before this task's deadline");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while waiting for " + role);
        } catch (ExecutionException e) {
            throw new ToolException("delegation to " + role + " failed");
        }
    }

    private static Event poll(BlockingQueue<Event> events, long millis) {
        try {
            return events.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for results", e);
        }
    }

    private static Event take(BlockingQueue<Event> events) {
        try {
            return events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for results", e);
        }
    }

    /** One agent's model and its concurrency cap. */
    static final class Worker {
        private final ModelTaskExecutor model;
        private final Semaphore slots;
        private final LocalRunObserver observer;
        private final Clock clock;
        private final LocalTrace trace;

        Worker(TeamRole role, LlmProvider provider, LocalRunObserver observer, Clock clock, LocalTrace trace) {
            this.trace = trace;
            this.model = new ModelTaskExecutor(provider, role.model(), role.systemPrompt());
            this.observer = observer;
            this.clock = clock;
            AgentSpec spec = role.agentSpec();
            this.slots = new Semaphore(Math.max(1, spec.effectiveReplicas()) * spec.effectiveLimits().effectiveMaxConcurrentTasks());
        }

        Finished work(TaskRequest task, Instant queued, Delegator delegator) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Finished(TaskOutcome.failure(task.step(), task.attempt(), "interrupted", TokenUsage.ZERO)
                        .forTask(task.taskId()), Duration.ZERO, task.taskId());
            }
            Instant start = clock.instant();
            trace.taken(task, queued, start);
            try (LocalTrace.TaskScope span = trace.taskStarted(task)) {
                Finished finished = attempt(task, start, delegator).waited(Duration.between(queued, start));
                span.ended(finished.outcome());
                return finished;
            } finally {
                slots.release();
            }
        }

        private Finished attempt(TaskRequest task, Instant start, Delegator delegator) {
            ModelTaskExecutor.Answer answer = model.execute(task.prompt(), task.outputSchema(),
                    task.maxTokensPerCall(), task.deadline(), notice -> observer.providerRetry(task.step(), notice),
                    BuiltinTools.of(task.tools(), delegator));
            TaskOutcome outcome = answer.succeeded()
                    ? TaskOutcome.success(task.step(), task.attempt(), answer.completion().text(),
                            answer.completion().usage())
                    : TaskOutcome.failure(task.step(), task.attempt(), answer.error(), TokenUsage.ZERO);
            return new Finished(outcome.forTask(task.taskId()), Duration.between(start, clock.instant()), task.taskId());
        }
    }
}
