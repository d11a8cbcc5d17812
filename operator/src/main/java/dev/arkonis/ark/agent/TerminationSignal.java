package dev.arkonis.ark.agent;

import org.slf4j.LoggerFactory;

/** Where the agent learns it must stop: SIGTERM/SIGINT in a pod; anything a test likes in-process. */
@FunctionalInterface
public interface TerminationSignal {
    void onTerminate(Runnable stop);

    /**
     * Handles SIGTERM and SIGINT directly, so the graceful stop runs on the main thread and the
     * process exits 0; falls back to a shutdown hook where signals cannot be handled.
     */
    static TerminationSignal process() {
        return stop -> {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> stop.run());
                sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> stop.run());
            } catch (RuntimeException | LinkageError e) {
                LoggerFactory.getLogger("agent").debug("no signal handling ({}); using a shutdown hook", e.toString());
                Runtime.getRuntime().addShutdownHook(new Thread(stop, "agent-shutdown"));
            }
        };
    }
}
