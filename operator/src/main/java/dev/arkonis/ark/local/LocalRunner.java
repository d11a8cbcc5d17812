package dev.arkonis.ark.local;

import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.TaskOutcome;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.LlmProvider;
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
    private final RunObserver observer;
    private final Clock clock;

    public LocalRunner(ProviderSource providers, RunObserver observer, Clock clock) {
        this.providers = providers;
        this.observer = observer;
        this.clock = clock;
    }

    /** Runs to the end and returns the finished run. Provider set-up errors are thrown before any task runs. */
    public PipelineRun run(PipelineRun run) throws LlmException, InterruptedException {
        Map<String, Worker> workers = new HashMap<>();
        for (TeamRole role : run.pipeline().spec().roleList()) {
            workers.put(role.name(), new Worker(role, providers.forRole(role)));
        }
        BlockingQueue<TaskOutcome> results = new LinkedBlockingQueue<>();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ark-local-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            dispatch(run.start(clock.instant()), workers, executor, results);
            report(run);
            while (!run.phase().isFinished()) {
                Optional<Instant> deadline = run.nextDeadline();
                TaskOutcome outcome = deadline.isPresent()
                        ? poll(results, Math.max(0, Duration.between(clock.instant(), deadline.get()).toMillis()))
                        : take(results);
                List<TaskRequest> next = outcome == null ? run.onTime(clock.instant()) : run.onResult(outcome, clock.instant());
                dispatch(next, workers, executor, results);
                report(run);
            }
            observer.runFinished(run);
            return run;
        } finally {
            executor.shutdownNow();
        }
    }

    private void report(PipelineRun run) {
        run.drainChanges().forEach(observer::stepChanged);
    }

    private static void dispatch(List<TaskRequest> tasks, Map<String, Worker> workers, ExecutorService executor,
                                 BlockingQueue<TaskOutcome> results) {
        for (TaskRequest task : tasks) {
            Worker worker = workers.get(task.role());
            executor.execute(() -> results.add(worker.work(task)));
        }
    }

    private static TaskOutcome poll(BlockingQueue<TaskOutcome> results, long millis) {
        try {
            return results.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for results", e);
        }
    }

    private static TaskOutcome take(BlockingQueue<TaskOutcome> results) {
        try {
            return results.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for results", e);
        }
    }

    /** One role's model and its concurrency cap. */
    private static final class Worker {
        private final TeamRole role;
        private final LlmProvider provider;
        private final Semaphore slots;

        Worker(TeamRole role, LlmProvider provider) {
            this.role = role;
            this.provider = provider;
            AgentSpec spec = role.agentSpec();
            this.slots = new Semaphore(Math.max(1, spec.effectiveReplicas()) * spec.effectiveLimits().effectiveMaxConcurrentTasks());
        }

        TaskOutcome work(TaskRequest task) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return TaskOutcome.failure(task.step(), task.attempt(), "interrupted", TokenUsage.ZERO)
                        .forTask(task.taskId());
            }
            try {
                Completion completion = provider.complete(new CompletionRequest(role.model(), role.systemPrompt(),
                        task.prompt(), task.outputSchema(), task.maxTokensPerCall(), task.deadline()));
                return TaskOutcome.success(task.step(), task.attempt(), completion.text(), completion.usage())
                        .forTask(task.taskId());
            } catch (LlmException e) {
                return TaskOutcome.failure(task.step(), task.attempt(), e.getMessage(), TokenUsage.ZERO)
                        .forTask(task.taskId());
            } catch (RuntimeException e) {
                return TaskOutcome.failure(task.step(), task.attempt(), "provider error: " + e, TokenUsage.ZERO)
                        .forTask(task.taskId());
            } finally {
                slots.release();
            }
        }
    }
}
