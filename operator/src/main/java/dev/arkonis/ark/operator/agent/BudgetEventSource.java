package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.operator.ReconcileErrors;
import dev.arkonis.ark.operator.TeamMembership;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents' budgets as observed state: the ledger is read here, off the reconcile, and each agent's latest reading is
 * its secondary resource. It is read again when the agent appears or its limit changes, when a result of its role
 * arrives (spending changed), and at the moment an exhausted budget frees up; a change of the reading is an event
 * for the agent. While Redis is unreachable the last reading is kept, marked unreachable, and read again with backoff.
 */
public final class BudgetEventSource extends AbstractEventSource<BudgetReading, ArkAgent>
        implements ResourceEventAware<ArkAgent> {
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    /** Results of a busy role arrive in bursts: one ledger read covers those of the next moment. */
    private static final Duration USAGE_SETTLE = Duration.ofMillis(50);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final AgentBudget ledger;
    private final Clock clock;
    private final ToLongFunction<AgentSpec> limits;
    private final Map<ResourceID, ArkAgent> agents = new ConcurrentHashMap<>();
    private final Map<ResourceID, BudgetReading> readings = new ConcurrentHashMap<>();
    private final Set<ResourceID> queued = ConcurrentHashMap.newKeySet();
    private final Map<ResourceID, Duration> retryAfter = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService executor;

    /** @param limits each agent's maxDailyTokens, the operator's default for agents that set none */
    public BudgetEventSource(AgentBudget ledger, Clock clock, ToLongFunction<AgentSpec> limits) {
        super(BudgetReading.class, "budgets");
        this.ledger = ledger;
        this.clock = clock;
        this.limits = limits;
    }

    @Override
    public synchronized void start() throws OperatorException {
        if (isRunning()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ark-budgets"));
        super.start();
        agents.keySet().forEach(this::readSoon);
    }

    @Override
    public synchronized void stop() throws OperatorException {
        super.stop();
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public Set<BudgetReading> getSecondaryResources(ArkAgent agent) {
        BudgetReading reading = readings.get(ResourceID.fromResource(agent));
        return reading == null ? Set.of() : Set.of(reading);
    }

    /**
     * The agent's latest reading against its current limit, or what its status last said before any reading.
     *
     * @param limit the agent's maxDailyTokens now
     */
    public static BudgetReading current(ArkAgent agent, io.javaoperatorsdk.operator.api.reconciler.Context<ArkAgent> context,
            long limit) {
        BudgetReading reading = context.getSecondaryResource(BudgetReading.class)
                .orElseGet(() -> BudgetReading.lastRecorded(agent, limit));
        return new BudgetReading(reading.state().against(limit), reading.problem());
    }

    /** A result of the role with this stream key arrived: its agents spent tokens. */
    public void usageChanged(String queue) {
        agents.forEach((id, agent) -> {
            if (queue.equals(TeamMembership.queueOf(agent))) {
                schedule(id, USAGE_SETTLE, true);
            }
        });
    }

    @Override
    public void onResourceCreated(ArkAgent agent) {
        ResourceID id = ResourceID.fromResource(agent);
        agents.put(id, agent);
        readSoon(id);
    }

    @Override
    public void onResourceUpdated(ArkAgent agent, ArkAgent old) {
        ResourceID id = ResourceID.fromResource(agent);
        agents.put(id, agent);
        BudgetReading reading = readings.get(id);
        if (reading == null || reading.state().limit() != limit(agent)
                || !Objects.equals(TeamMembership.queueOf(agent), TeamMembership.queueOf(old))) {
            readSoon(id);
        }
    }

    @Override
    public void onResourceDeleted(ArkAgent agent) {
        ResourceID id = ResourceID.fromResource(agent);
        agents.remove(id);
        readings.remove(id);
        retryAfter.remove(id);
    }

    private void readSoon(ResourceID id) {
        schedule(id, Duration.ZERO, true);
    }

    private void schedule(ResourceID id, Duration delay) {
        schedule(id, delay, false);
    }

    /** @param coalesce skip it when a read of the agent is already waiting to run */
    private void schedule(ResourceID id, Duration delay, boolean coalesce) {
        ScheduledExecutorService running = executor;
        if (running == null || !isRunning() || (coalesce && !queued.add(id))) {
            return;
        }
        try {
            running.schedule(() -> {
                if (coalesce) {
                    queued.remove(id);
                }
                read(id);
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (coalesce) {
                queued.remove(id); // stopping
            }
        }
    }

    private void read(ResourceID id) {
        ArkAgent agent = agents.get(id);
        if (agent == null || agent.getSpec() == null) {
            return;
        }
        BudgetReading previous = readings.get(id);
        BudgetReading next;
        try {
            next = new BudgetReading(ledger.of(agent, TeamMembership.queueOf(agent)), null);
            retryAfter.remove(id);
        } catch (RuntimeException e) {
            String why = "cannot read the token ledger: " + ReconcileErrors.describe(e);
            BudgetReading known = previous != null ? previous : BudgetReading.lastRecorded(agent, limit(agent));
            next = known.unreachable(why);
            Duration wait = retryAfter.merge(id, FIRST_RETRY, (a, b) -> a.multipliedBy(2).compareTo(MAX_RETRY) > 0
                    ? MAX_RETRY : a.multipliedBy(2));
            if (previous == null || previous.reachable()) {
                LOG.warn("agent {}/{}: {}; keeping the last known usage", id.getNamespace().orElse(""), id.getName(), why);
            }
            schedule(id, wait);
        }
        readings.put(id, next);
        if (!next.equals(previous)) {
            getEventHandler().handleEvent(new Event(id));
        }
        Optional<Instant> frees = next.state().exhausted() && next.reachable() ? next.state().freesAt() : Optional.empty();
        // back at the exact moment enough of the window has rotated out
        frees.ifPresent(at -> schedule(id, Duration.ofMillis(Math.max(50, Duration.between(clock.instant(), at).toMillis()))));
    }

    private long limit(ArkAgent agent) {
        return agent.getSpec() == null ? 0 : limits.applyAsLong(agent.getSpec());
    }
}
