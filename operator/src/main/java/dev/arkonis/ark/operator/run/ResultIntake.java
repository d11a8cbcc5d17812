package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.queue.ResultDelivery;
import dev.arkonis.ark.queue.ResultReader;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns results on the result streams into events for their runs: one thread blocks on the streams (no scans, no
 * fixed-interval polling) and hands each result to its run's inbox. Results of runs that no longer exist are
 * acknowledged and dropped.
 */
final class ResultIntake implements AutoCloseable {
    static final String RUN = "run";
    static final String NAMESPACE = "namespace";
    static final String STEP = "step";
    static final String ATTEMPT = "attempt";

    private static final Logger LOG = LoggerFactory.getLogger("operator");
    private static final Duration BLOCK = Duration.ofMillis(500);

    private final ResultReader reader;
    private final RunInbox inbox;
    private final SimpleInboundEventSource<ArkRun> events;
    private final Thread thread;
    private volatile Predicate<ResourceID> runExists = id -> true;
    private volatile boolean running = true;

    ResultIntake(ResultReader reader, RunInbox inbox, SimpleInboundEventSource<ArkRun> events) {
        this.reader = reader;
        this.inbox = inbox;
        this.events = events;
        this.thread = new Thread(this::loop, "ark-result-intake");
        this.thread.setDaemon(true);
    }

    void start(Predicate<ResourceID> exists) {
        this.runExists = exists;
        thread.start();
    }

    void watch(String resultStream) {
        reader.watch(resultStream);
    }

    void ack(ResultDelivery delivery) {
        reader.ack(delivery);
    }

    private void loop() {
        boolean failing = false;
        while (running) {
            try {
                List<ResultDelivery> results = reader.read(200, BLOCK);
                failing = false;
                for (ResultDelivery delivery : results) {
                    route(delivery);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!failing) {
                    LOG.warn("reading results failed, retrying: {}", e.getMessage());
                    failing = true;
                }
                waitBeforeRetry();
            }
        }
    }

    private void route(ResultDelivery delivery) {
        String run = delivery.result().copied().get(RUN);
        String namespace = delivery.result().copied().get(NAMESPACE);
        if (run == null || namespace == null) {
            LOG.warn("dropping result {} of task {}: it names no run", delivery.id(), delivery.result().task());
            reader.ack(delivery);
            return;
        }
        ResourceID id = new ResourceID(run, namespace);
        if (!runExists.test(id)) {
            // the run was deleted: its late results are acknowledged and discarded
            reader.ack(delivery);
            return;
        }
        inbox.add(id, delivery);
        events.propagateEvent(id);
    }

    private static void waitBeforeRetry() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
