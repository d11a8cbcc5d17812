package dev.arkonis.ark.dashboard.web;

/** Where a live page's Server-Sent Events go; closed by the feeder when done, or by the browser leaving. */
public interface EventSink {
    /** Sends one event; false once the browser has gone (the feeder should then stop). */
    boolean send(String event, String data);

    /** A comment line that keeps the connection open through idle timeouts of proxies and of our own server. */
    boolean heartbeat();

    /** Called once, when the browser goes away or the sink is closed. */
    void onClose(Runnable action);

    void close();

    boolean isOpen();
}
