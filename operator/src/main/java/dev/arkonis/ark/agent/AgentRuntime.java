package dev.arkonis.ark.agent;

import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.queue.Delivery;
import dev.arkonis.ark.queue.RoleKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.arkonis.ark.telemetry.Telemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent process's lifecycle: on start it gets its collaborators ({@link AgentParts}: the role's consumer, the
 * ledger and budget gate, the task runner), joins the group and runs the {@link TaskIntake} (reading),
 * {@link TaskProcessor} (working, at most {@code maxConcurrentTasks} at once) and {@link ClaimKeeper} (holding);
 * it stops gracefully (in-flight tasks finish within the grace period) or at once ({@link #abort}).
 */
public final class AgentRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("agent");

    private final AgentConfig config;
    private final AgentParts.Source source;
    private final Clock clock;
    private final InFlight inFlight;
    private final AgentMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final RoleKeys keys;
    private final Telemetry telemetry;

    private volatile boolean groupJoined;
    private AgentParts parts;
    private TaskProcessor processor;
    private Thread reader;
    private ExecutorService workers;
    private ScheduledExecutorService claims;
    private ScheduledExecutorService housekeeping;

    /** An agent on the Redis of its configuration, connecting when it starts. */
    public AgentRuntime(AgentConfig config, LlmProvider provider, Clock clock) {
        this(config, provider, clock, Telemetry.none());
    }

    /** @param telemetry where its task spans go and what it counts (the provider should report to the same) */
    public AgentRuntime(AgentConfig config, LlmProvider provider, Clock clock, Telemetry telemetry) {
        this(config, () -> AgentParts.connect(config, provider, clock), clock, telemetry);
    }

    /** @param source gives the agent its collaborators when it starts */
    public AgentRuntime(AgentConfig config, AgentParts.Source source, Clock clock) {
        this(config, source, clock, Telemetry.none());
    }

    public AgentRuntime(AgentConfig config, AgentParts.Source source, Clock clock, Telemetry telemetry) {
        this.telemetry = telemetry;
        this.config = config;
        this.source = source;
        this.clock = clock;
        this.inFlight = new InFlight(config.maxConcurrentTasks());
        this.metrics = new AgentMetrics(inFlight::size, telemetry.metrics(), config.queue());
        this.keys = new RoleKeys(config.queue());
    }

    /** Connects, joins the group and starts taking tasks. */
    public synchronized void start() throws StartupException {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        try {
            parts = source.connect();
            run(parts);
        } catch (StartupException | RuntimeException e) {
            running.set(false);
            throw e;
        }
    }

    private void run(AgentParts parts) throws StartupException {
        OutageLog outage = new OutageLog(LOG, parts.redis().redactedUrl());
        ClaimKeeper keeper = new ClaimKeeper(parts.consumer(), inFlight, heartbeatTtl(), LOG);
        try {
            parts.consumer().joinGroup();
            keeper.heartbeat();
        } catch (RuntimeException e) {
            parts.close();
            throw new StartupException("cannot join group " + RoleKeys.GROUP + " on " + keys.stream() + " at "
                    + parts.redis().redactedUrl() + ": " + e.getMessage(), e);
        }
        groupJoined = true;
        QueueGauges.register(telemetry.metrics(), keys.stream(), parts.consumer(), parts.budget());
        processor = new TaskProcessor(config, parts, metrics, outage, LOG, new TaskTrace(telemetry, config, clock));
        workers = Executors.newFixedThreadPool(config.maxConcurrentTasks(), DaemonThreads.named("agent-task"));
        long tick = claimTick(config).toMillis();
        claims = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("agent-claims"));
        claims.scheduleWithFixedDelay(guarded(keeper::renewClaims, outage), tick, tick, TimeUnit.MILLISECONDS);
        claims.scheduleWithFixedDelay(guarded(keeper::heartbeat, outage), tick, tick, TimeUnit.MILLISECONDS);
        housekeeping = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("agent-housekeeping"));
        long cleanup = config.visibilityTimeout().toMillis();
        housekeeping.scheduleWithFixedDelay(guarded(keeper::removeGoneConsumers, outage), cleanup, cleanup,
                TimeUnit.MILLISECONDS);
        reader = DaemonThreads.named("agent-reader").newThread(new TaskIntake(config, parts, inFlight, processor,
                this::begin, outage, running::get, stopping, clock, LOG));
        reader.start();
        LOG.info("agent {} taking tasks from {} at {} (group {}, up to {} at once)", config.podName(),
                keys.stream(), parts.redis().redactedUrl(), RoleKeys.GROUP, config.maxConcurrentTasks());
    }

    /** A task in a worker; its slot is freed when it ends. */
    private void begin(Delivery delivery) {
        workers.execute(() -> {
            try {
                processor.process(delivery);
            } finally {
                inFlight.done(delivery);
            }
        });
    }

    /** Graceful stop within the configured grace period. */
    @Override
    public void close() {
        shutdown(config.shutdownGrace());
    }

    /**
     * Stops taking tasks, lets in-flight ones finish within {@code grace} (still renewing their claims), and leaves
     * unfinished ones unacknowledged for another agent to reclaim.
     */
    public synchronized void shutdown(Duration grace) {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        LOG.info("agent {} stopping: {} task(s) in flight, grace {}s", config.podName(), inFlight.size(),
                grace.toSeconds());
        stopping.countDown();
        housekeeping.shutdownNow();
        joinQuietly(reader, TaskIntake.READ_BLOCK.multipliedBy(4));
        workers.shutdown();
        boolean finished = awaitQuietly(workers, grace);
        if (!finished && inFlight.size() > 0) {
            LOG.warn("agent {} leaving {} unfinished task(s) unacknowledged for another agent", config.podName(),
                    inFlight.size());
        }
        if (!finished) {
            abandon();
        }
        claims.shutdownNow();
        try {
            parts.consumer().leave();
        } catch (RuntimeException e) {
            LOG.debug("could not leave the group cleanly: {}", e.getMessage());
        }
        parts.close();
    }

    /** Simulates a crash: drops the connections at once; nothing in flight is acknowledged. */
    public synchronized void abort() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        stopping.countDown();
        abandon();
        parts.redis().close();
        housekeeping.shutdownNow();
        claims.shutdownNow();
        parts.calls().shutdownNow();
        reader.interrupt();
    }

    /** Ready = Redis answers and the group is joined. */
    public boolean isReady() {
        if (!running.get() || !groupJoined) {
            return false;
        }
        try {
            return "PONG".equals(parts.redis().shared().async().ping().get(1, TimeUnit.SECONDS));
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

    private void abandon() {
        processor.abandon();
        workers.shutdownNow();
    }

    private Runnable guarded(Runnable tick, OutageLog outage) {
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

    /** Renew and reclaim often enough that a live agent's claim never looks idle for a whole visibility timeout. */
    static Duration claimTick(AgentConfig config) {
        Duration third = config.visibilityTimeout().dividedBy(3);
        return third.compareTo(Duration.ofSeconds(10)) <= 0 ? third : Duration.ofSeconds(10);
    }

    private Duration heartbeatTtl() {
        return config.visibilityTimeout().plus(claimTick(config));
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
}
