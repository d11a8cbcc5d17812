package dev.arkonis.ark.agent;

import dev.arkonis.ark.queue.Backoff;
import dev.arkonis.ark.queue.Delivery;
import dev.arkonis.ark.queue.TaskConsumer;
import dev.arkonis.ark.queue.TaskMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The agent's reading loop: takes new tasks, and tasks of consumers that died, never more than it has free slots
 * for, and only while the budget gate lets it. The gate is asked before each task is started, so a task read while
 * the last result pushed spending over the limit is given back unstarted rather than run.
 */
final class TaskIntake implements Runnable {
    /** How long one blocking read waits; bounds how long a graceful stop waits for the reader. */
    static final Duration READ_BLOCK = Duration.ofMillis(500);

    private final AgentConfig config;
    private final TaskConsumer consumer;
    private final BudgetGate budget;
    private final InFlight inFlight;
    private final TaskProcessor processor;
    private final Consumer<Delivery> begin;
    private final OutageLog outage;
    private final BooleanSupplier running;
    private final CountDownLatch stopping;
    private final Clock clock;
    private final Logger log;
    private long nextReclaimAt;

    /** @param begin hands a task (whose slot it now owns) to a worker; throws when it cannot */
    TaskIntake(AgentConfig config, AgentParts parts, InFlight inFlight, TaskProcessor processor,
               Consumer<Delivery> begin, OutageLog outage, BooleanSupplier running, CountDownLatch stopping,
               Clock clock, Logger log) {
        this.config = config;
        this.consumer = parts.consumer();
        this.budget = parts.budget();
        this.inFlight = inFlight;
        this.processor = processor;
        this.begin = begin;
        this.outage = outage;
        this.running = running;
        this.stopping = stopping;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public void run() {
        Backoff backoff = Backoff.forRedis();
        while (running.getAsBoolean()) {
            int[] held = {0};
            try {
                held[0] = inFlight.acquireFree(READ_BLOCK);
                if (held[0] == 0) {
                    continue;
                }
                if (!budget.allowsNextTask()) {
                    inFlight.release(held[0]);
                    held[0] = 0;
                    pause(budget.waitBeforeAskingAgain());
                    continue;
                }
                if (clock.millis() >= nextReclaimAt) {
                    nextReclaimAt = clock.millis() + AgentRuntime.claimTick(config).toMillis();
                    takeAll(reclaim(held[0]), held);
                }
                if (held[0] > 0 && running.getAsBoolean()) {
                    takeAll(consumer.read(held[0], READ_BLOCK), held);
                }
                outage.recovered();
                backoff.reset();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running.getAsBoolean()) {
                    break;
                }
                outage.failed(e);
                try {
                    if (backoff.pause(stopping)) {
                        break;
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } finally {
                inFlight.release(held[0]);
            }
        }
    }

    /** Starts each task the gate still lets through; the rest go back to the queue, unstarted. */
    private void takeAll(List<Delivery> deliveries, int[] held) {
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery delivery = deliveries.get(i);
            if (!budget.allowsNextTask()) {
                deliveries.subList(i, deliveries.size()).forEach(this::giveBack);
                return;
            }
            inFlight.add(delivery);
            try {
                begin.accept(delivery);
            } catch (RuntimeException e) {
                inFlight.notStarted(delivery); // stays pending; the slot stays with the reader
                throw e;
            }
            held[0]--;
        }
    }

    private void giveBack(Delivery delivery) {
        if (consumer.requeue(delivery)) {
            log.info("task {} given back unstarted: the role's budget is spent", delivery.fields().get(TaskMessage.TASK));
        }
    }

    /** Tasks of dead consumers, at most the held slots; those delivered too often go to the dead-letter stream. */
    private List<Delivery> reclaim(int max) {
        return consumer.reclaim(config.visibilityTimeout(), max).stream().filter(delivery -> {
            if (inFlight.holds(delivery.entryId())) {
                return false; // ours already: our renewals lapsed (Redis outage); it is still running here
            }
            long previous = delivery.deliveries() - 1;
            if (previous >= config.maxDeliveries()) {
                processor.deadLetter(delivery, "task delivered " + previous + " times without finishing; moved to "
                        + consumer.keys().dead());
                return false;
            }
            log.info("reclaimed task {} (entry {}, delivery {})", delivery.fields().get(TaskMessage.TASK),
                    delivery.entryId(), delivery.deliveries());
            return true;
        }).toList();
    }

    private void pause(Duration duration) throws InterruptedException {
        stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    }
}
