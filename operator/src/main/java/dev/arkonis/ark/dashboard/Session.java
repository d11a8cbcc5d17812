package dev.arkonis.ark.dashboard;

import dev.arkonis.ark.dashboard.web.Secrets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A signed-in browser: its id (the HttpOnly cookie's value, never shown or logged), the CSRF token its forms carry,
 * the rights it acts with, when it began and was last used, and one message to show on the next page (after an
 * action).
 */
public final class Session {
    private final String id = Secrets.random();
    private final String csrf = Secrets.random();
    private final Identity identity;
    private final Instant started;
    private volatile Instant lastSeen;
    private volatile Notice notice;
    final AtomicInteger liveStreams = new AtomicInteger();

    /** A message for the next page: what an action did, or why it was refused. */
    public record Notice(boolean error, String text) {
    }

    Session(Identity identity, Instant now) {
        this.identity = identity;
        this.started = now;
        this.lastSeen = now;
    }

    String id() {
        return id;
    }

    public String csrf() {
        return csrf;
    }

    public Identity identity() {
        return identity;
    }

    Instant started() {
        return started;
    }

    Instant lastSeen() {
        return lastSeen;
    }

    void seen(Instant now) {
        lastSeen = now;
    }

    public void notice(Notice next) {
        notice = next;
    }

    /** The pending message, once. */
    public Notice takeNotice() {
        Notice n = notice;
        notice = null;
        return n;
    }
}
