package dev.arkonis.ark.agent;

import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.queue.Delivery;
import dev.arkonis.ark.queue.MalformedTaskException;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisUnavailableException;
import dev.arkonis.ark.queue.RedisUrls;
import dev.arkonis.ark.queue.RoleKeys;
import dev.arkonis.ark.queue.StreamLimits;
import dev.arkonis.ark.queue.TaskConsumer;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.queue.TaskResult;
import dev.arkonis.ark.queue.TokenLedger;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent process: takes tasks from its role's stream (new ones and ones whose consumer
 * died), runs at most {@code maxConcurrentTasks} at once, keeps its claims while it works,
 * and writes each result together with the acknowledgement.
 */
public final class AgentRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("agent");
    /** How long one blocking read waits; bounds how long a graceful stop waits for the reader. */
    private static final Duration READ_BLOCK = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private static final Duration MAX_BUDGET_RECHECK = Duration.ofSeconds(5);

    private final AgentConfig config;
    private final TaskRunnerFactory runnerFactory;
    private final Clock clock;
    private final Semaphore slots;
    private final Map<String, Delivery> inFlight = new ConcurrentHashMap<>();
    private final AgentMetrics metrics = new AgentMetrics(inFlight::size);
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CountDownLatch abandonment = new CountDownLatch(1);
    private final RoleKeys keys;

    private volatile boolean abandoned;
    private volatile boolean groupJoined;
    private RedisConnections redis;
    private StatefulRedisConnection<String, String> blocking;
    private TaskConsumer consumer;
    private TokenLedger ledger;
    private BudgetGate budget;
    private OutageLog outage;
    private TaskRunner runner;
    private Thread reader;
    private ExecutorService workers;
    private ExecutorService calls;
    private ScheduledExecutorService claims;
    private ScheduledExecutorService housekeeping;
    private long nextReclaimAt;

    public AgentRuntime(AgentConfig config, LlmProvider provider, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.runnerFactory = pool -> new TaskRunner(provider, config, clock, pool);
        this.slots = new Semaphore(config.maxConcurrentTasks());
        this.keys = new RoleKeys(config.queue());
    }

    /** Connects, joins the group and starts taking tasks. */
    public synchronized void start() throws StartupException {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        try {
            connectAndRun();
        } catch (StartupException | RuntimeException e) {
            running.set(false);
            throw e;
        }
    }

    private void connectAndRun() throws StartupException {
        try {
            redis = RedisConnections.open(config.redisUrl());
            blocking = redis.newConnection();
        } catch (RedisUnavailableException e) {
            throw new StartupException(e.getMessage(), e);
        } catch (RuntimeException e) {
            if (redis != null) {
                redis.close();
            }
            throw new StartupException("cannot connect to Redis at " + RedisUrls.redact(config.redisUrl())
                    + ": " + e.getMessage(), e);
        }
        outage = new OutageLog(LOG, redis.redactedUrl());
        consumer = new TaskConsumer(redis.shared(), blocking, keys, config.podName(), StreamLimits.DEFAULT);
        ledger = new TokenLedger(redis.shared(), keys, config.budgetWindow());
        budget = new BudgetGate(ledger, config.dailyTokenLimit(), LOG);
        try {
            consumer.joinGroup();
            consumer.heartbeat(heartbeatTtl());
        } catch (RuntimeException e) {
            redis.close();
            throw new StartupException("cannot join group " + RoleKeys.GROUP + " on " + keys.stream() + " at "
                    + redis.redactedUrl() + ": " + e.getMessage(), e);
        }
        groupJoined = true;

        calls = Executors.newCachedThreadPool(daemon("agent-llm"));
        runner = runnerFactory.create(calls);
        workers = Executors.newFixedThreadPool(config.maxConcurrentTasks(), daemon("agent-task"));
        long tick = claimTick().toMillis();
        claims = Executors.newSingleThreadScheduledExecutor(daemon("agent-claims"));
        claims.scheduleWithFixedDelay(guarded(this::renewClaims), tick, tick, TimeUnit.MILLISECONDS);
        claims.scheduleWithFixedDelay(guarded(() -> consumer.heartbeat(heartbeatTtl())), tick, tick,
                TimeUnit.MILLISECONDS);
        housekeeping = Executors.newSingleThreadScheduledExecutor(daemon("agent-housekeeping"));
        long cleanup = config.visibilityTimeout().toMillis();
        housekeeping.scheduleWithFixedDelay(guarded(this::removeGoneConsumers), cleanup, cleanup,
                TimeUnit.MILLISECONDS);
        reader = daemon("agent-reader").newThread(this::readLoop);
        reader.start();
        LOG.info("agent {} taking tasks from {} at {} (group {}, up to {} at once)", config.podName(),
                keys.stream(), redis.redactedUrl(), RoleKeys.GROUP, config.maxConcurrentTasks());
    }

    /** Graceful stop within the configured grace period. */
    @Override
    public void close() {
        shutdown(config.shutdownGrace());
    }

    /**
     * Stops taking tasks, lets in-flight ones finish within {@code grace} (still renewing their
     * claims), and leaves unfinished ones unacknowledged for another agent to reclaim.
     */
    public synchronized void shutdown(Duration grace) {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        LOG.info("agent {} stopping: {} task(s) in flight, grace {}s", config.podName(), inFlight.size(),
                grace.toSeconds());
        stopping.countDown();
        housekeeping.shutdownNow();
        joinQuietly(reader, READ_BLOCK.multipliedBy(4));
        workers.shutdown();
        boolean finished = awaitQuietly(workers, grace);
        if (!finished && !inFlight.isEmpty()) {
            LOG.warn("agent {} leaving {} unfinished task(s) unacknowledged for another agent", config.podName(),
                    inFlight.size());
        }
        if (!finished) {
            abandon();
        }
        claims.shutdownNow();
        try {
            consumer.leave();
        } catch (RuntimeException e) {
            LOG.debug("could not leave the group cleanly: {}", e.getMessage());
        }
        redis.close();
        calls.shutdownNow();
    }

    /** Simulates a crash: drops the connections at once; nothing in flight is acknowledged. */
    public synchronized void abort() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        stopping.countDown();
        abandon();
        redis.close();
        housekeeping.shutdownNow();
        claims.shutdownNow();
        calls.shutdownNow();
        reader.interrupt();
    }

    /** Ready = Redis answers and the group is joined. */
    public boolean isReady() {
        if (!running.get() || !groupJoined) {
            return false;
        }
        try {
            return "PONG".equals(redis.shared().async().ping().get(1, TimeUnit.SECONDS));
        } catch (Exception e) {
            return false;
        }
    }

    public boolean isRunning() {
        return running.get();
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    private void readLoop() {
        Duration backoff = Duration.ofMillis(100);
        while (running.get()) {
            HeldSlots held = new HeldSlots(0);
            try {
                held.count = acquireFreeSlots();
                if (held.count == 0) {
                    continue;
                }
                if (!budget.allowsNewTasks()) {
                    slots.release(held.count);
                    held.count = 0;
                    pause(min(config.visibilityTimeout(), MAX_BUDGET_RECHECK));
                    continue;
                }
                if (clock.millis() >= nextReclaimAt) {
                    nextReclaimAt = clock.millis() + claimTick().toMillis();
                    reclaim(held);
                }
                if (held.count > 0 && running.get()) {
                    for (Delivery delivery : consumer.read(held.count, READ_BLOCK)) {
                        begin(delivery, held);
                    }
                }
                outage.recovered();
                backoff = Duration.ofMillis(100);
            } catch (RuntimeException e) {
                if (!running.get()) {
                    break;
                }
                outage.failed(e);
                pause(backoff);
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            } finally {
                if (held.count > 0) {
                    slots.release(held.count);
                }
            }
        }
    }

    /** Waits briefly for one free slot, then takes every other free one: never read more than we can run. */
    private int acquireFreeSlots() {
        try {
            if (!slots.tryAcquire(READ_BLOCK.toMillis(), TimeUnit.MILLISECONDS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return 0;
        }
        return 1 + slots.drainPermits();
    }

    /** Takes over tasks of dead consumers, using at most the held slots. */
    private void reclaim(HeldSlots held) {
        List<Delivery> reclaimed = consumer.reclaim(config.visibilityTimeout(), held.count);
        for (Delivery delivery : reclaimed) {
            if (inFlight.containsKey(delivery.entryId())) {
                continue; // ours already: our renewals lapsed (Redis outage); it is still running here
            }
            long previous = delivery.deliveries() - 1;
            if (previous >= config.maxDeliveries()) {
                deadLetter(delivery, "task delivered " + previous + " times without finishing; moved to "
                        + keys.dead());
                continue;
            }
            LOG.info("reclaimed task {} (entry {}, delivery {})", delivery.fields().get(TaskMessage.TASK),
                    delivery.entryId(), delivery.deliveries());
            begin(delivery, held);
        }
    }

    /** Runs a delivery in a worker; one held slot passes to the task and is released when it ends. */
    private void begin(Delivery delivery, HeldSlots held) {
        inFlight.put(delivery.entryId(), delivery);
        try {
            workers.execute(() -> process(delivery));
        } catch (RuntimeException e) {
            inFlight.remove(delivery.entryId()); // stays pending; the slot stays with the caller
            throw e;
        }
        held.count--;
    }

    private void process(Delivery delivery) {
        try {
            TaskMessage task;
            try {
                task = TaskMessage.fromFields(delivery.fields());
            } catch (MalformedTaskException e) {
                deadLetter(delivery, "malformed task: " + e.getMessage() + "; moved to " + keys.dead());
                return;
            }
            TaskOutcome outcome = runner.run(task);
            persist(() -> ledger.record(outcome.calls()));
            boolean written = persist(() -> consumer.finish(delivery, task.replyTo(), outcome.result()));
            count(outcome.result(), written);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // abandoned at shutdown: stays pending for another agent
        } catch (AbandonedException e) {
            LOG.debug("task entry {} abandoned before its result was written", delivery.entryId());
        } catch (RuntimeException e) {
            LOG.error("task entry {} failed unexpectedly; it stays pending: {}", delivery.entryId(), e.toString());
        } finally {
            inFlight.remove(delivery.entryId());
            slots.release();
        }
    }

    private void deadLetter(Delivery delivery, String reason) {
        Map<String, String> fields = delivery.fields();
        String replyTo = fields.get(TaskMessage.REPLY_TO);
        Map<String, String> copied = new java.util.LinkedHashMap<>(fields);
        TaskMessage.KNOWN_FIELDS.forEach(copied::remove);
        TaskResult result = TaskResult.failed(fields.getOrDefault(TaskMessage.TASK, ""), reason, 0, 0,
                config.podName(), 0, copied);
        boolean moved = consumer.deadLetter(delivery, reason, replyTo == null || replyTo.isEmpty() ? null : replyTo,
                result);
        if (moved) {
            metrics.taskDeadLettered();
            metrics.taskFailed();
            LOG.warn("task {} (entry {}): {}", fields.get(TaskMessage.TASK), delivery.entryId(), reason);
        }
    }

    private void count(TaskResult result, boolean written) {
        metrics.tokens(result.inputTokens(), result.outputTokens());
        if (!written) {
            LOG.info("task {} was already finished by another agent; result dropped", result.task());
            return;
        }
        switch (result.status()) {
            case SUCCEEDED -> metrics.taskSucceeded();
            case FAILED -> {
                metrics.taskFailed();
                LOG.info("task {} failed: {}", result.task(), result.error());
            }
        }
    }

    /** Retries a write through a Redis outage: the finish script is idempotent (acknowledge first). */
    private <T> T persist(java.util.function.Supplier<T> write) throws AbandonedException, InterruptedException {
        Duration backoff = Duration.ofMillis(100);
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
                if (abandonment.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AbandonedException();
                }
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
        }
    }

    private void persist(Runnable write) throws AbandonedException, InterruptedException {
        persist(() -> {
            write.run();
            return null;
        });
    }

    private void renewClaims() {
        Set<String> held = Set.copyOf(inFlight.keySet());
        if (!held.isEmpty()) {
            Set<String> kept = consumer.renew(held);
            if (kept.size() < held.size()) {
                LOG.debug("{} in-flight task(s) no longer pending here", held.size() - kept.size());
            }
        }
    }

    private void removeGoneConsumers() {
        for (String name : consumer.removeGoneConsumers()) {
            LOG.info("removed consumer {} of {}: its agent is gone and it held no tasks", name, keys.stream());
        }
    }

    private Runnable guarded(Runnable tick) {
        return () -> {
            try {
                tick.run();
                outage.recovered();
            } catch (RuntimeException e) {
                if (running.get()) {
                    outage.failed(e);
                }
            }
        };
    }

    private void abandon() {
        abandoned = true;
        abandonment.countDown();
        workers.shutdownNow();
    }

    /** Renew and reclaim often enough that a live agent's claim never looks idle for a whole visibility timeout. */
    private Duration claimTick() {
        return min(config.visibilityTimeout().dividedBy(3), Duration.ofSeconds(10));
    }

    private Duration heartbeatTtl() {
        return config.visibilityTimeout().plus(claimTick());
    }

    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void joinQuietly(Thread thread, Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean awaitQuietly(ExecutorService pool, Duration timeout) {
        try {
            return pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Slots the reader holds and has not yet handed to a task. */
    private static final class HeldSlots {
        int count;

        HeldSlots(int count) {
            this.count = count;
        }
    }

    private interface TaskRunnerFactory {
        TaskRunner create(ExecutorService calls);
    }

    private static final class AbandonedException extends Exception {
        AbandonedException() {
            super(null, null, false, false);
        }
    }
}
