package dev.arkonis.ark.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signed-in browsers. A session ends when it has been idle or alive too long, on sign-out, or when the oldest
 * must make room (the number is bounded); its client, if it owns one, is closed then.
 */
public final class Sessions implements AutoCloseable {
    /** Sessions at once; a new one beyond this ends the least recently used. */
    static final int MAX = 1000;

    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Duration lifetime;
    private final Clock clock;

    public Sessions(Duration idle, Duration lifetime, Clock clock) {
        this.idle = idle;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Session open(Identity identity) {
        sweep();
        while (byId.size() >= MAX) {
            byId.values().stream().min(Comparator.comparing(Session::lastSeen)).ifPresent(this::end);
        }
        Session session = new Session(identity, clock.instant());
        byId.put(session.id(), session);
        return session;
    }

    /** The live session of this cookie value; an expired one is ended. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = byId.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            end(session);
            return Optional.empty();
        }
        session.seen(now);
        return Optional.of(session);
    }

    public void end(Session session) {
        if (byId.remove(session.id(), session)) {
            session.identity().close();
        }
    }

    /** How long the cookie may live: the session's remaining lifetime. */
    public Duration maxAge() {
        return lifetime;
    }

    int size() {
        return byId.size();
    }

    private boolean expired(Session session, Instant now) {
        return session.lastSeen().plus(idle).isBefore(now) || session.started().plus(lifetime).isBefore(now);
    }

    private void sweep() {
        Instant now = clock.instant();
        byId.values().stream().filter(s -> expired(s, now)).toList().forEach(this::end);
    }

    @Override
    public void close() {
        byId.values().stream().toList().forEach(this::end);
    }
}
