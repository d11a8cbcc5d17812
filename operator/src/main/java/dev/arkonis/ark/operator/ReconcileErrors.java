package dev.arkonis.ark.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.javaoperatorsdk.operator.processing.retry.Retry;
import java.time.Instant;
import java.util.List;

/**
 * What every reconciler does when a reconcile fails: the {@code Reconciled} condition says what failed in plain
 * words (and turns True again on the next success), a Warning Event {@code ReconcileError} is recorded (repeats are
 * counted), and JOSDK retries with {@link #RETRY}.
 */
public final class ReconcileErrors {
    public static final String CONDITION = "Reconciled";
    public static final String REASON = "ReconcileError";

    /** 0.5 s doubling to 1 min, for as long as it takes: a Redis or API server outage ends some day. */
    public static final Retry RETRY = new GenericRetry().setInitialInterval(500).setIntervalMultiplier(2)
            .setMaxInterval(60_000).withoutMaxAttempts();

    private ReconcileErrors() {
    }

    /**
     * The object changed since it was read (HTTP 409): no failure to report (no condition, no Event, an INFO line), the
     * next reconcile reads the newer copy and decides again; JOSDK retries it with {@link #RETRY}.
     */
    public static boolean isConflict(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof AggregatedOperatorException aggregated && !aggregated.getAggregatedExceptions().isEmpty()) {
                // dependents failed together: a conflict only if each of them was one
                return aggregated.getAggregatedExceptions().values().stream().allMatch(ReconcileErrors::isConflict);
            }
            if (cause instanceof KubernetesClientException k && k.getCode() == 409) {
                return !alreadyExists(k);
            }
        }
        return false;
    }

    /** Also a 409, but no race to wait out: an object of that name that is not ours blocks the create. */
    private static boolean alreadyExists(KubernetesClientException e) {
        String reason = e.getStatus() == null ? null : e.getStatus().getReason();
        String message = e.getStatus() == null || e.getStatus().getMessage() == null ? e.getMessage()
                : e.getStatus().getMessage();
        // the API server says AlreadyExists; fabric8's mock only says so in words
        return "AlreadyExists".equals(reason) || (message != null && message.contains("already exists"));
    }

    /** The failure in words: the innermost message (JOSDK and clients wrap the cause), never a stack trace. */
    public static String describe(Throwable e) {
        if (e instanceof AggregatedOperatorException aggregated && !aggregated.getAggregatedExceptions().isEmpty()) {
            // a workflow's dependents failed: each says what failed, by the dependent's name
            return aggregated.getAggregatedExceptions().entrySet().stream()
                    .map(failed -> failed.getKey() + ": " + describe(failed.getValue()))
                    .collect(java.util.stream.Collectors.joining("; "));
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
            if (cause instanceof AggregatedOperatorException) {
                return describe(cause);
            }
        }
        String message = cause.getMessage();
        if (cause instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
            message = k.getStatus().getMessage();
        }
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /** Conditions with {@code Reconciled=False} and the failure's message. */
    public static List<Condition> failed(List<Condition> conditions, Throwable e, Long generation, Instant now) {
        return StatusConditions.set(conditions, CONDITION, false, REASON, KubeEvents.cut(describe(e)), generation, now);
    }

    /** After a success: a {@code Reconciled} condition left by an earlier failure turns True; none is added otherwise. */
    public static List<Condition> succeeded(List<Condition> conditions, Long generation, Instant now) {
        boolean present = conditions != null && conditions.stream().anyMatch(c -> CONDITION.equals(c.getType()));
        return present ? StatusConditions.set(conditions, CONDITION, true, "Reconciled", "the last reconcile succeeded",
                generation, now) : conditions;
    }
}
