package dev.arkonis.ark.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads, so a thread dump says which part of ark a thread belongs to. */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Threads named {@code <name>-1}, {@code <name>-2}, ... that never keep the process alive. */
    public static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
