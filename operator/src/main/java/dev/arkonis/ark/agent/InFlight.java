package dev.arkonis.ark.agent;

import dev.arkonis.ark.queue.Delivery;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** The agent's tasks in flight and the slots for more: never more than {@code maxConcurrentTasks} at once. */
final class InFlight {
    private final Semaphore slots;
    private final Map<String, Delivery> tasks = new ConcurrentHashMap<>();

    InFlight(int maxConcurrentTasks) {
        this.slots = new Semaphore(maxConcurrentTasks);
    }

    /** Waits up to {@code wait} for one free slot, then takes every other free one; returns how many it holds. */
    int acquireFree(Duration wait) throws InterruptedException {
        if (!slots.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return 0;
        }
        return 1 + slots.drainPermits();
    }

    void release(int count) {
        if (count > 0) {
            slots.release(count);
        }
    }

    void add(Delivery delivery) {
        tasks.put(delivery.entryId(), delivery);
    }

    /** The task ended (or never started): its slot is free again. */
    void done(Delivery delivery) {
        tasks.remove(delivery.entryId());
        slots.release();
    }

    /** The task could not be handed to a worker: it stays pending, and the caller keeps the slot. */
    void notStarted(Delivery delivery) {
        tasks.remove(delivery.entryId());
    }

    boolean holds(String entryId) {
        return tasks.containsKey(entryId);
    }

    Set<String> entryIds() {
        return Set.copyOf(tasks.keySet());
    }

    int size() {
        return tasks.size();
    }
}
