package dev.arkonis.ark.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.dashboard.view.Frame;
import dev.arkonis.ark.dashboard.view.RunPage;
import dev.arkonis.ark.dashboard.web.EventSink;
import dev.arkonis.ark.dashboard.web.WebReply;
import dev.arkonis.ark.dashboard.web.WebRequest;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A run page kept live without reloading or polling: a watch on the run (and one on its Events) with the session's
 * client; each change re-renders the page's parts (summary, graph, timeline, each step shown, Events) and sends the
 * browser those that changed, as Server-Sent Events. Changes are gathered for {@link #COALESCE} so a burst of status
 * patches costs one render; once the run has finished the stream says so and ends. Streams are bounded per session
 * and in all, since each holds two watches on the API server.
 */
final class LiveRuns implements AutoCloseable {
    static final int PER_SESSION = 4;
    static final int IN_ALL = 200;
    static final Duration COALESCE = Duration.ofMillis(250);
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final Duration SETTLE = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pages pages;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, DaemonThreads.named("ark-dashboard-live"));
    private final AtomicInteger open = new AtomicInteger();

    LiveRuns(Pages pages) {
        this.pages = pages;
    }

    WebReply stream(Session session, String namespace, String run, WebRequest request) {
        if (session.liveStreams.incrementAndGet() > PER_SESSION | open.incrementAndGet() > IN_ALL) {
            session.liveStreams.decrementAndGet();
            open.decrementAndGet();
            return WebReply.text(429, "too many live pages open at once; close some and reload");
        }
        return WebReply.events(sink -> new Follow(session, namespace, run, request, sink).start());
    }

    int open() {
        return open.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One browser following one run. */
    private final class Follow {
        private final Session session;
        private final String namespace;
        private final String run;
        private final WebRequest request;
        private final EventSink sink;
        private final Map<String, String> sent = new LinkedHashMap<>();
        private final Map<String, Event> events = new ConcurrentHashMap<>();
        private final AtomicBoolean due = new AtomicBoolean();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicBoolean finishing = new AtomicBoolean();
        private final List<Watch> watches = new ArrayList<>();
        private volatile ArkRun latest;
        private ScheduledFuture<?> heartbeat;

        Follow(Session session, String namespace, String run, WebRequest request, EventSink sink) {
            this.session = session;
            this.namespace = namespace;
            this.run = run;
            this.request = request;
            this.sink = sink;
        }

        void start() {
            sink.onClose(this::stop);
            KubernetesClient client = session.identity().client();
            try {
                Pages.events(client, namespace, run).forEach(e -> events.put(e.getMetadata().getUid(), e));
                latest = client.resources(ArkRun.class).inNamespace(namespace).withName(run).get();
                if (latest == null) {
                    sink.send("gone", "{}");
                    sink.close();
                    return;
                }
                synchronized (watches) {
                    watches.add(client.resources(ArkRun.class).inNamespace(namespace).withName(run).watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, ArkRun changed) {
                            if (action == Action.DELETED) {
                                sink.send("gone", "{}");
                                sink.close();
                                return;
                            }
                            latest = changed;
                            schedule();
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                            sink.close();
                        }
                    }));
                    try {
                        watches.add(client.v1().events().inNamespace(namespace).withFields(Map.of("involvedObject.name", run,
                                "involvedObject.kind", "ArkRun")).watch(new Watcher<>() {
                                    @Override
                                    public void eventReceived(Action action, Event event) {
                                        if (action == Action.DELETED) {
                                            events.remove(event.getMetadata().getUid());
                                        } else {
                                            events.put(event.getMetadata().getUid(), event);
                                        }
                                        schedule();
                                    }

                                    @Override
                                    public void onClose(WatcherException cause) {
                                        // the run's own watch decides when the stream ends
                                    }
                                }));
                    } catch (KubernetesClientException mayNotWatchEvents) {
                        // the page then shows the Events it was given at load
                    }
                }
            } catch (KubernetesClientException e) {
                sink.send("refused", json(Map.of("status", e.getCode())));
                sink.close();
                return;
            }
            // the page was rendered from some version of the run: send what differs from now, if anything
            boolean current = Objects.equals(request.param("version"), latest.getMetadata().getResourceVersion());
            render(!current);
            heartbeat = timer.scheduleAtFixedRate(() -> {
                if (!sink.heartbeat()) {
                    sink.close();
                }
            }, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void schedule() {
            if (!stopped.get() && due.compareAndSet(false, true)) {
                timer.schedule(() -> {
                    due.set(false);
                    render(true);
                }, COALESCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private synchronized void render(boolean send) {
            if (stopped.get()) {
                return;
            }
            ArkRun now = latest;
            Frame frame = new Frame("Run " + run, "runs", session.identity().user(), session.csrf(), null,
                    pages.readOnly(), true);
            RunPage page = pages.runPage(request, session.identity().client(), now, List.copyOf(events.values()), frame);
            Map<String, String> parts = Fragments.of(page);
            List<Map<String, String>> changed = new ArrayList<>();
            parts.forEach((id, html) -> {
                if (!html.equals(sent.put(id, html)) && send) {
                    changed.add(Map.of("id", id, "html", html));
                }
            });
            if (!changed.isEmpty() && !sink.send("patch", json(changed))) {
                sink.close();
                return;
            }
            if (settled(now) && finishing.compareAndSet(false, true)) {
                // the operator records the run's last Events just after its last status: wait for them, then end
                timer.schedule(() -> {
                    render(true);
                    sink.send("done", json(Map.of("phase", dev.arkonis.ark.cli.RunViews.phase(latest).name())));
                    sink.close();
                }, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private void stop() {
            if (stopped.compareAndSet(false, true)) {
                session.liveStreams.decrementAndGet();
                open.decrementAndGet();
                if (heartbeat != null) {
                    heartbeat.cancel(false);
                }
                synchronized (watches) {
                    watches.forEach(Watch::close);
                }
            }
        }
    }

    /** Finished, with no retry asked for that the operator has not taken up yet: nothing more will change. */
    static boolean settled(ArkRun run) {
        if (!dev.arkonis.ark.cli.RunViews.phase(run).isFinished()) {
            return false;
        }
        Map<String, String> annotations = run.getMetadata().getAnnotations();
        String asked = annotations == null ? null : annotations.get(dev.arkonis.ark.api.Ark.ANNOTATION_RETRY);
        return asked == null || asked.equals(run.getStatus().observedRetry());
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
