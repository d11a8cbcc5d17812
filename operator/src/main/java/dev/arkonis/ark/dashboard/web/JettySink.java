package dev.arkonis.ark.dashboard.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Server-Sent Events onto a Jetty response: one write at a time (Jetty allows no other), the rest queued; a failed
 * write means the browser left, which closes the sink and runs its close actions once.
 */
final class JettySink implements EventSink {
    private final Response response;
    private final Callback done;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private final List<Runnable> closeActions = new ArrayList<>();
    private boolean writing;
    private boolean closing;
    private boolean closed;

    JettySink(Response response, Callback done) {
        this.response = response;
        this.done = done;
    }

    @Override
    public boolean send(String event, String data) {
        StringBuilder frame = new StringBuilder("event: ").append(event).append('\n');
        for (String line : data.split("\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        return enqueue(frame.append('\n').toString());
    }

    @Override
    public boolean heartbeat() {
        return enqueue(": keep-alive\n\n");
    }

    private boolean enqueue(String text) {
        synchronized (this) {
            if (closing || closed) {
                return false;
            }
            queue.add(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }
        flush();
        return true;
    }

    private void flush() {
        ByteBuffer next;
        boolean last = false;
        synchronized (this) {
            if (writing || closed) {
                return;
            }
            next = queue.poll();
            if (next == null) {
                if (!closing) {
                    return;
                }
                closed = true;
                last = true;
                next = ByteBuffer.allocate(0);
            }
            writing = true;
        }
        if (last) {
            response.write(true, next, done);
            return;
        }
        response.write(false, next, Callback.from(() -> {
            synchronized (this) {
                writing = false;
            }
            flush();
        }, failure -> {
            synchronized (this) {
                writing = false;
                closed = true;
                queue.clear();
            }
            runCloseActions();
            done.failed(failure);
        }));
    }

    @Override
    public void onClose(Runnable action) {
        boolean now;
        synchronized (this) {
            now = closing || closed;
            if (!now) {
                closeActions.add(action);
            }
        }
        if (now) {
            action.run();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closing || closed) {
                return;
            }
            closing = true;
        }
        runCloseActions();
        flush();
    }

    /** The connection failed under us (the browser left, a timeout): nothing more can be written. */
    void failed(Throwable cause) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closing = true;
            queue.clear();
        }
        runCloseActions();
        // the last write fails at once on the broken connection, which completes Jetty's callback
        flush();
    }

    @Override
    public synchronized boolean isOpen() {
        return !closing && !closed;
    }

    private void runCloseActions() {
        List<Runnable> actions;
        synchronized (this) {
            actions = new ArrayList<>(closeActions);
            closeActions.clear();
        }
        actions.forEach(Runnable::run);
    }
}
