package dev.arkonis.ark.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import dev.arkonis.ark.telemetry.SpanAttributes;
import dev.arkonis.ark.telemetry.Telemetry;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every failed reconcile of every controller (ours and any registered later) with the resource's kind,
 * namespace and name, as docs/troubleshooting.md tells users to look for "reconcile error" in the operator's log;
 * each reconcile is a span of its own (a run's reconciles link to the run's trace) and is timed in the reconcile
 * metrics.
 */
public final class ReconcileErrorLog implements Metrics {
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    private static final AttributeKey<String> K8S_NAMESPACE = AttributeKey.stringKey("k8s.namespace.name");
    private static final AttributeKey<String> K8S_NAME = AttributeKey.stringKey("ark.resource.name");

    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong reconciles = new AtomicLong();
    private final Map<String, Timing> timings = new ConcurrentHashMap<>();
    private final Map<ResourceID, Integer> attempts = new ConcurrentHashMap<>();
    private final Map<String, Function<ResourceID, Optional<SpanContext>>> traces = new ConcurrentHashMap<>();
    private final Telemetry telemetry;

    public ReconcileErrorLog() {
        this(Telemetry.none());
    }

    public ReconcileErrorLog(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    /** Each reconcile of the named controller's objects links to the object's own trace, where it has one. */
    public void linkReconciles(String controller, Function<ResourceID, Optional<SpanContext>> traceOf) {
        traces.put(controller, traceOf);
    }

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
        ResourceID id = execution.resourceID();
        SpanBuilder builder = telemetry.tracer().spanBuilder(execution.name() + " " + execution.controllerName())
                .setAttribute(SpanAttributes.CONTROLLER, execution.controllerName())
                .setAttribute(K8S_NAMESPACE, id == null ? "" : id.getNamespace().orElse(""))
                .setAttribute(K8S_NAME, id == null ? "" : id.getName());
        Function<ResourceID, Optional<SpanContext>> traceOf = traces.get(execution.controllerName());
        if (traceOf != null && id != null) {
            traceOf.apply(id).ifPresent(builder::addLink);
        }
        Span span = builder.startSpan();
        boolean failed = false;
        try (Scope ignored = span.makeCurrent()) {
            return execution.execute();
        } catch (Exception e) {
            failed = true;
            Telemetry.fail(span, describe(e), e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
            long took = System.nanoTime() - start;
            Timing timing = timings.computeIfAbsent(execution.controllerName(), k -> new Timing());
            timing.count.increment();
            timing.nanos.add(took);
            telemetry.metrics().reconciled(execution.controllerName(), java.time.Duration.ofNanos(took), failed);
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
        Integer attempt = attempts.remove(ResourceID.fromResource(resource));
        java.util.Optional<String> quiet = ReconcileErrors.nothingToReport(exception, attempt == null ? 0 : attempt);
        if (quiet.isPresent()) {
            LOG.info("{} {}/{} {}", resource.getKind(), resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName(), quiet.get());
            return;
        }
        // messages of our exceptions and of the API server name objects and fields, never secret values
        LOG.error("reconcile error {} {}/{}: {}", resource.getKind(), resource.getMetadata().getNamespace(),
                resource.getMetadata().getName(), describe(exception));
        LOG.debug("reconcile error details", exception);
    }

    /** Remembers how many attempts in a row failed before this one, for the failure's log line. */
    @Override
    public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        attempts.put(ResourceID.fromResource(resource), retryInfo == null ? 0 : retryInfo.getAttemptCount());
    }

    @Override
    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
        attempts.remove(ResourceID.fromResource(resource));
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
