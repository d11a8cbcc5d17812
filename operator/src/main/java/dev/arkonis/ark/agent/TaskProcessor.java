package dev.arkonis.ark.agent;

import dev.arkonis.ark.queue.Backoff;
import dev.arkonis.ark.queue.Delivery;
import dev.arkonis.ark.queue.MalformedTaskException;
import dev.arkonis.ark.queue.TaskConsumer;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.queue.TaskResult;
import dev.arkonis.ark.queue.TokenLedger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Works one task: runs it against the model, records its tokens in the ledger, then writes the result together
 * with the acknowledgement. Writes are retried through a Redis outage (the finish script is idempotent) until the
 * agent abandons its tasks at shutdown; a task that is not a task goes to the dead-letter stream.
 */
final class TaskProcessor {
    private final AgentConfig config;
    private final TaskConsumer consumer;
    private final TokenLedger ledger;
    private final TaskRunner runner;
    private final AgentMetrics metrics;
    private final OutageLog outage;
    private final CountDownLatch abandonment;
    private final Logger log;
    private final TaskTrace trace;
    private volatile boolean abandoned;

    TaskProcessor(AgentConfig config, AgentParts parts, AgentMetrics metrics, OutageLog outage, Logger log,
                  TaskTrace trace) {
        this.trace = trace;
        this.config = config;
        this.consumer = parts.consumer();
        this.ledger = parts.ledger();
        this.runner = parts.runner();
        this.metrics = metrics;
        this.outage = outage;
        this.log = log;
        this.abandonment = new CountDownLatch(1);
    }

    /** Stops every write still retrying: unfinished tasks stay pending for another agent to reclaim. */
    void abandon() {
        abandoned = true;
        abandonment.countDown();
    }

    void process(Delivery delivery) {
        try {
            TaskMessage task;
            try {
                task = TaskMessage.fromFields(delivery.fields());
            } catch (MalformedTaskException e) {
                deadLetter(delivery, "malformed task: " + e.getMessage() + "; moved to " + consumer.keys().dead());
                return;
            }
            try (TaskTrace.Traced traced = trace.begin(delivery, task)) {
                AnsweredTask answered = runner.run(task);
                TaskResult result = answered.result().withQueueWait(traced.queueWait());
                traced.finished(result);
                persist(() -> {
                    ledger.record(answered.calls());
                    return null;
                });
                boolean written = persist(() -> consumer.finish(delivery, task.replyTo(), result));
                count(result, written);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // abandoned at shutdown: stays pending for another agent
        } catch (AbandonedException e) {
            log.debug("task entry {} abandoned before its result was written", delivery.entryId());
        } catch (RuntimeException e) {
            log.error("task entry {} failed unexpectedly; it stays pending: {}", delivery.entryId(), e.toString());
        }
    }

    /** Moves a task to the dead-letter stream with a failed result for its reply stream, if it names one. */
    void deadLetter(Delivery delivery, String reason) {
        Map<String, String> fields = delivery.fields();
        String replyTo = fields.get(TaskMessage.REPLY_TO);
        Map<String, String> copied = new LinkedHashMap<>(fields);
        TaskMessage.KNOWN_FIELDS.forEach(copied::remove);
        TaskResult result = TaskResult.failed(fields.getOrDefault(TaskMessage.TASK, ""), reason, 0, 0,
                config.podName(), 0, copied);
        boolean moved = consumer.deadLetter(delivery, reason, replyTo == null || replyTo.isEmpty() ? null : replyTo,
                result);
        if (moved) {
            metrics.taskDeadLettered();
            metrics.taskFailed();
            log.warn("task {} (entry {}): {}", fields.get(TaskMessage.TASK), delivery.entryId(), reason);
        }
    }

    private void count(TaskResult result, boolean written) {
        if (!written) {
            log.info("task {} is no longer pending for this agent (another agent finished it, or Redis lost it);"
                    + " result dropped", result.task());
            return;
        }
        switch (result.status()) {
            case SUCCEEDED -> metrics.taskSucceeded();
            case FAILED -> {
                metrics.taskFailed();
                log.info("task {} failed: {}", result.task(), result.error());
            }
        }
    }

    private <T> T persist(Supplier<T> write) throws AbandonedException, InterruptedException {
        Backoff backoff = Backoff.forRedis();
        while (true) {
            if (abandoned) {
                throw new AbandonedException();
            }
            try {
                T value = write.get();
                outage.recovered();
                return value;
            } catch (RuntimeException e) {
                if (abandoned) {
                    throw new AbandonedException();
                }
                outage.failed(e);
                if (backoff.pause(abandonment)) {
                    throw new AbandonedException();
                }
            }
        }
    }

    private static final class AbandonedException extends Exception {
        AbandonedException() {
            super(null, null, false, false);
        }
    }
}
