package dev.arkonis.ark.local;

import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.ModelUse;
import dev.arkonis.ark.flow.TaskOutcome;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.ModelTaskExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs a pipeline in-process: the engine decides, worker threads call the models, results come back through a queue.
 * Each role gets as many concurrent tasks as its replicas times maxConcurrentTasks, as it would in a cluster.
 */
public final class LocalRunner {
    private final ProviderSource providers;
    private final LocalRunObserver observer;
    private final Clock clock;
    private final LocalTrace trace;

    public LocalRunner(ProviderSource providers, LocalRunObserver observer, Clock clock) {
        this(providers, observer, clock, LocalTrace.none());
    }

    public LocalRunner(ProviderSource providers, LocalRunObserver observer, Clock clock, LocalTrace trace) {
        this.providers = providers;
        this.observer = observer;
        this.clock = clock;
        this.trace = trace;
    }

    /** Runs to the end and returns the finished run. Provider set-up errors are thrown before any task runs. */
    public PipelineRun run(PipelineRun run) throws LlmException, InterruptedException {
        Map<String, Worker> workers = new HashMap<>();
        for (TeamRole role : run.pipeline().spec().effectiveRoles()) {
            workers.put(role.name(), new Worker(role, providers.forRole(role), observer, clock, trace));
        }
        BlockingQueue<Finished> results = new LinkedBlockingQueue<>();
        AttemptBook attempts = new AttemptBook();
        ExecutorService executor = Executors.newCachedThreadPool(DaemonThreads.named("ark-local-worker"));
        try {
            Instant started = clock.instant();
            trace.runStarted(run, started);
            dispatch(run.start(started), workers, executor, results);
            report(run);
            while (!run.phase().isFinished()) {
                Optional<Instant> deadline = run.nextDeadline();
                Finished finished = deadline.isPresent()
                        ? poll(results, Math.max(0, Duration.between(clock.instant(), deadline.get()).toMillis()))
                        : take(results);
                List<TaskRequest> next;
                if (finished == null) {
                    next = run.onTime(clock.instant());
                } else {
                    boolean current = isCurrent(run, finished);
                    Instant now = clock.instant();
                    next = run.onResult(finished.outcome(), now);
                    trace.resultApplied(finished.taskId(), finished.outcome(), now);
                    if (current) {
                        attempts.settle(finished, run.step(finished.outcome().step())).ifPresent(observer::attemptFinished);
                    }
                }
                dispatch(next, workers, executor, results);
                report(run);
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

    private void report(PipelineRun run) {
        run.drainChanges().forEach(observer::stepChanged);
    }

    private void dispatch(List<TaskRequest> tasks, Map<String, Worker> workers, ExecutorService executor,
                          BlockingQueue<Finished> results) {
        for (TaskRequest task : tasks) {
            Worker worker = workers.get(task.role());
            Instant queued = clock.instant();
            trace.dispatched(task, queued);
            executor.execute(() -> results.add(worker.work(task, queued)));
        }
    }

    private static Finished poll(BlockingQueue<Finished> results, long millis) {
        try {
            return results.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for results", e);
        }
    }

    private static Finished take(BlockingQueue<Finished> results) {
        try {
            return results.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for results", e);
        }
    }

    /** A task's outcome, the task it answers, how long its call took and how long it waited for a slot first. */
    record Finished(TaskOutcome outcome, Duration took, String taskId) {
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
            Completion done = answer.completion();
            TaskOutcome outcome = answer.succeeded()
                    ? TaskOutcome.success(task.step(), task.attempt(), done.text(), done.usage()).withModelUse(
                            new ModelUse(done.answeredBy(), done.fallbackReason(), done.rateLimitWait()))
                    : TaskOutcome.failure(task.step(), task.attempt(), answer.error(), TokenUsage.ZERO);
            return finished(task, outcome, start);
        }

        private Finished finished(TaskRequest task, TaskOutcome outcome, Instant start) {
            return new Finished(outcome.forTask(task.taskId()), Duration.between(start, clock.instant()), task.taskId());
        }
    }
}
