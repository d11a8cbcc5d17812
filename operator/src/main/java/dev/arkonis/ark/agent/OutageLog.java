package dev.arkonis.ark.agent;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/** Logs a Redis outage once when it starts and once when it ends, not on every retry. */
final class OutageLog {
    private final Logger log;
    private final String redactedUrl;
    private final AtomicBoolean down = new AtomicBoolean();

    OutageLog(Logger log, String redactedUrl) {
        this.log = log;
        this.redactedUrl = redactedUrl;
    }

    void failed(Exception e) {
        if (down.compareAndSet(false, true)) {
            log.warn("lost Redis at {}: {}; retrying", redactedUrl, describe(e));
        } else {
            log.debug("Redis at {} still unavailable: {}", redactedUrl, describe(e));
        }
    }

    void recovered() {
        if (down.compareAndSet(true, false)) {
            log.info("Redis at {} reachable again", redactedUrl);
        }
    }

    boolean isDown() {
        return down.get();
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
