package dev.arkonis.ark.local;

import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.flow.ApprovalDecision;
import dev.arkonis.ark.flow.CacheLookup;
import dev.arkonis.ark.flow.OutputOrigin;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.StepCacheStore;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskOutcome;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.ModelTaskExecutor;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs a pipeline in-process: the engine decides, worker threads call the models, results (and approval decisions)
 * come back through a queue. Each role gets as many concurrent tasks as its replicas times maxConcurrentTasks, as it
 * would in a cluster. A task the step cache can answer is answered from it, without a model call.
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

    /** Runs to the end and returns the finished run. Provider set-up errors are thrown before any task runs. */
    public PipelineRun run(PipelineRun run) throws LlmException, InterruptedException {
        Map<String, Worker> workers = new HashMap<>();
        for (TeamRole role : run.pipeline().spec().effectiveRoles()) {
            workers.put(role.name(), new Worker(role, providers.forRole(role), observer, clock, trace));
        }
        BlockingQueue<Arrival> results = new LinkedBlockingQueue<>();
        AttemptBook attempts = new AttemptBook();
        Set<String> asked = new HashSet<>();
        ExecutorService executor = Executors.newCachedThreadPool(DaemonThreads.named("ark-local-worker"));
        try {
            Instant started = clock.instant();
            trace.runStarted(run, started);
            dispatch(run, run.start(started), workers, executor, results);
            report(run, asked, results);
            while (!run.phase().isFinished()) {
                Optional<Instant> deadline = run.nextDeadline();
                Arrival arrival = deadline.isPresent()
                        ? poll(results, Math.max(0, Duration.between(clock.instant(), deadline.get()).toMillis()))
                        : take(results);
                List<TaskRequest> next;
                if (arrival == null) {
                    next = run.onTime(clock.instant());
                } else if (arrival instanceof Decided decided) {
                    next = run.decide(decided.decision(), clock.instant());
                } else {
                    Finished finished = (Finished) arrival;
                    boolean current = isCurrent(run, finished);
                    Instant now = clock.instant();
                    next = run.onResult(finished.outcome(), now);
                    trace.resultApplied(finished.taskId(), finished.outcome(), now);
                    if (current) {
                        attempts.settle(finished, run.step(finished.outcome().step())).ifPresent(observer::attemptFinished);
                    }
                }
                dispatch(run, next, workers, executor, results);
                report(run, asked, results);
            }
            trace.runFinished(run, clock.instant());
            observer.runFinished(run);
            return run;
        } finally {
            executor.shutdownNow();
        }
    }

    /** A result the run will apply: it answers the task its step waits on. */
    private static boolean isCurrent(PipelineRun run, Finished finished) {
        StepState step = run.step(finished.outcome().step());
        return step != null && step.phase() == StepPhase.Running && finished.taskId().equals(step.taskId())
                && !run.phase().isFinished();
    }

    /** Tells the observer what changed, asks about steps that started waiting for approval, keeps accepted answers. */
    private void report(PipelineRun run, Set<String> asked, BlockingQueue<Arrival> arrivals) {
        for (StepState step : run.drainChanges()) {
            observer.stepChanged(step);
            if (step.phase() == StepPhase.WaitingForApproval && asked.add(step.name())) {
                approver.ask(step, decision -> arrivals.add(new Decided(decision)));
            } else if (step.phase() != StepPhase.WaitingForApproval && asked.remove(step.name())) {
                approver.settled(step);
            }
        }
        run.drainCacheWrites().forEach(cache::keep);
    }

    private void dispatch(PipelineRun run, List<TaskRequest> tasks, Map<String, Worker> workers, ExecutorService executor,
                          BlockingQueue<Arrival> results) {
        for (TaskRequest task : tasks) {
            Instant queued = clock.instant();
            trace.dispatched(task, queued);
            Optional<Finished> cached = fromCache(run, task);
            if (cached.isPresent()) {
                results.add(cached.get());
                continue;
            }
            Worker worker = workers.get(task.role());
            executor.execute(() -> results.add(worker.work(task, queued)));
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

    private static Arrival poll(BlockingQueue<Arrival> results, long millis) {
        try {
            return results.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for results", e);
        }
    }

    private static Arrival take(BlockingQueue<Arrival> results) {
        try {
            return results.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for results", e);
        }
    }

    /** What the run's thread waits for: a task's outcome or a person's decision. */
    sealed interface Arrival permits Finished, Decided {
    }

    /** A decision on an approval step. */
    record Decided(ApprovalDecision decision) implements Arrival {
    }

    /** A task's outcome, the task it answers, how long its call took and how long it waited for a slot first. */
    record Finished(TaskOutcome outcome, Duration took, String taskId) implements Arrival {
        /** The engine sums the wait into its step, as it does a cluster agent's. */
        Finished waited(Duration wait) {
            return new Finished(outcome.withQueueWait(wait), took, taskId);
        }

        Duration queueWait() {
            return outcome.queueWait() == null ? Duration.ZERO : outcome.queueWait();
        }
    }

    /** One role's model and its concurrency cap. */
    private static final class Worker {
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

        Finished work(TaskRequest task, Instant queued) {
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
                Finished finished = attempt(task, start).waited(Duration.between(queued, start));
                span.ended(finished.outcome());
                return finished;
            } finally {
                slots.release();
            }
        }

        private Finished attempt(TaskRequest task, Instant start) {
            ModelTaskExecutor.Answer answer = model.execute(task.prompt(), task.outputSchema(),
                    task.maxTokensPerCall(), task.deadline(), notice -> observer.providerRetry(task.step(), notice));
            TaskOutcome outcome = answer.succeeded()
                    ? TaskOutcome.success(task.step(), task.attempt(), answer.completion().text(),
                            answer.completion().usage())
                    : TaskOutcome.failure(task.step(), task.attempt(), answer.error(), TokenUsage.ZERO);
            return finished(task, outcome, start);
        }

        private Finished finished(TaskRequest task, TaskOutcome outcome, Instant start) {
            return new Finished(outcome.forTask(task.taskId()), Duration.between(start, clock.instant()), task.taskId());
        }
    }
}
