package dev.arkonis.ark.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
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
        Throwable cause = e;
        // JOSDK wraps the reconciler's exception; the innermost message says what went wrong
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
