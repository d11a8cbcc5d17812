package dev.arkonis.ark.operator.trigger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/** One lock per ArkEvent: the reconciler and webhook requests fire the same event one at a time (Forbid holds). */
final class EventLocks {
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    ReentrantLock of(String namespace, String name) {
        return locks.computeIfAbsent(namespace + "/" + name, k -> new ReentrantLock());
    }

    void forget(String namespace, String name) {
        locks.remove(namespace + "/" + name);
    }
}
