package dev.arkonis.ark.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every failed reconcile of every controller (ours and any registered later) with the resource's kind,
 * namespace and name, as the guide tells users to look for "reconcile error" in the operator's log.
 */
public final class ReconcileErrorLog implements Metrics {
    private static final Logger LOG = LoggerFactory.getLogger("operator");

    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong reconciles = new AtomicLong();
    private final Map<String, Timing> timings = new ConcurrentHashMap<>();

    /** Reconciles of one controller: how many, and the time spent in them (the reconciler's own work and calls). */
    public record ReconcileTime(long count, long totalNanos) {
        public double meanMicros() {
            return count == 0 ? 0 : totalNanos / 1e3 / count;
        }
    }

    private static final class Timing {
        final LongAdder count = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        long start = System.nanoTime();
        try {
            return execution.execute();
        } finally {
            Timing timing = timings.computeIfAbsent(execution.controllerName(), k -> new Timing());
            timing.count.increment();
            timing.nanos.add(System.nanoTime() - start);
        }
    }

    /** Time spent reconciling resources of the named controller (arkrun, arkagent, arkteam) so far. */
    public ReconcileTime reconcileTime(String controller) {
        Timing timing = timings.get(controller);
        return timing == null ? new ReconcileTime(0, 0) : new ReconcileTime(timing.count.sum(), timing.nanos.sum());
    }

    /** Every controller timed so far. */
    public Map<String, ReconcileTime> reconcileTimes() {
        Map<String, ReconcileTime> all = new java.util.TreeMap<>();
        timings.keySet().forEach(name -> all.put(name, reconcileTime(name)));
        return all;
    }

    @Override
    public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
        errors.incrementAndGet();
        // messages of our exceptions and of the API server name objects and fields, never secret values
        LOG.error("reconcile error {} {}/{}: {}", resource.getKind(), resource.getMetadata().getNamespace(),
                resource.getMetadata().getName(), describe(exception));
        LOG.debug("reconcile error details", exception);
    }

    @Override
    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
        reconciles.incrementAndGet();
    }

    public long errorCount() {
        return errors.get();
    }

    public long reconcileCount() {
        return reconciles.get();
    }

    private static String describe(Throwable e) {
        return ReconcileErrors.describe(e);
    }
}
