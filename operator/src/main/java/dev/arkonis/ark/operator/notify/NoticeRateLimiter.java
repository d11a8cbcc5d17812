package dev.arkonis.ark.operator.notify;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The original's rate limit: at most {@code maxPerWindow} messages per (ArkNotify, team, event type) within any
 * {@code windowSeconds}; messages held back do not count. Kept in memory: a restarted operator starts afresh.
 */
final class NoticeRateLimiter {
    private final Clock clock;
    private final ConcurrentHashMap<String, Deque<Long>> sent = new ConcurrentHashMap<>();

    NoticeRateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Takes a place in the window for {@code key}; false when the window is full. */
    boolean admit(String key, long windowSeconds, int maxPerWindow) {
        Deque<Long> times = sent.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            long now = clock.millis();
            while (!times.isEmpty() && times.peekFirst() <= now - windowSeconds * 1000) {
                times.pollFirst();
            }
            if (times.size() >= maxPerWindow) {
                return false;
            }
            times.addLast(now);
            return true;
        }
    }
}
