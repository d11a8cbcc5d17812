package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.operator.ReconcileErrors;
import dev.arkonis.ark.operator.TeamMembership;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work on autoscaled agents' queues as observed state: read every {@code poll} off the reconcile, and at once
 * when a task is sent to a queue or a result comes from it; a changed count is an event for the agent. Agents without
 * autoscaling are not read. While the queue cannot be read the agent has no reading, and keeps what was decided last.
 */
public final class WorkEventSource extends AbstractEventSource<WorkEventSource.Reading, ArkAgent>
        implements ResourceEventAware<ArkAgent> {
    /** Tasks queued or in progress on the agent's queue, counted up to what a decision needs. */
    public record Reading(long tasks) {
    }

    /** How often autoscaled agents' queues are read besides when tasks are sent and results come. */
    public static final Duration POLL = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger("operator");

    private final AgentWork work;
    private final Duration poll;
    private final Map<ResourceID, ArkAgent> agents = new ConcurrentHashMap<>();
    private final Map<ResourceID, Reading> readings = new ConcurrentHashMap<>();
    private final Set<ResourceID> failing = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService executor;

    public WorkEventSource(AgentWork work, Duration poll) {
        super(Reading.class, "work");
        this.work = work;
        this.poll = poll;
    }

    /** The agent's latest work reading, if its queue was read. */
    static Optional<Long> current(Context<ArkAgent> context) {
        return context.getSecondaryResource(Reading.class).map(Reading::tasks);
    }

    @Override
    public synchronized void start() throws OperatorException {
        if (isRunning()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ark-work"));
        super.start();
        executor.scheduleWithFixedDelay(() -> agents.keySet().forEach(this::read), 0, poll.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() throws OperatorException {
        super.stop();
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public Set<Reading> getSecondaryResources(ArkAgent agent) {
        Reading reading = readings.get(ResourceID.fromResource(agent));
        return reading == null ? Set.of() : Set.of(reading);
    }

    /** A task went to this queue, or a result came from it: its agents' work is read now. */
    public void workChanged(String queue) {
        ScheduledExecutorService running = executor;
        if (running == null || !isRunning()) {
            return;
        }
        agents.forEach((id, agent) -> {
            if (queue.equals(TeamMembership.queueOf(agent))) {
                try {
                    running.execute(() -> read(id));
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // the source is stopping
                }
            }
        });
    }

    @Override
    public void onResourceCreated(ArkAgent agent) {
        track(agent);
    }

    @Override
    public void onResourceUpdated(ArkAgent agent, ArkAgent old) {
        track(agent);
    }

    @Override
    public void onResourceDeleted(ArkAgent agent) {
        ResourceID id = ResourceID.fromResource(agent);
        agents.remove(id);
        readings.remove(id);
        failing.remove(id);
    }

    private void track(ArkAgent agent) {
        ResourceID id = ResourceID.fromResource(agent);
        if (agent.getSpec() != null && agent.getSpec().autoscaling() != null && agent.getSpec().autoscaling().isEnabled()) {
            agents.put(id, agent);
        } else {
            onResourceDeleted(agent);
        }
    }

    private void read(ResourceID id) {
        ArkAgent agent = agents.get(id);
        if (agent == null) {
            return;
        }
        Optional<Reading> next;
        try {
            next = work.of(TeamMembership.queueOf(agent), Autoscale.countUpTo(agent.getSpec())).map(Reading::new);
            if (failing.remove(id)) {
                LOG.info("agent {}/{}: its queue can be read again", id.getNamespace().orElse(""), id.getName());
            }
        } catch (RuntimeException e) {
            if (failing.add(id)) {
                LOG.warn("agent {}/{}: cannot read the work on its queue: {}; keeping its replicas",
                        id.getNamespace().orElse(""), id.getName(), ReconcileErrors.describe(e));
            }
            next = Optional.empty();
        }
        Reading previous = next.isPresent() ? readings.put(id, next.get()) : readings.remove(id);
        if (!next.equals(Optional.ofNullable(previous))) {
            getEventHandler().handleEvent(new Event(id));
        }
    }
}
