package dev.arkonis.ark.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.javaoperatorsdk.operator.processing.retry.Retry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What every reconciler does when a reconcile fails: the {@code Reconciled} condition says what failed in plain
 * words (and turns True again on the next success), a Warning Event {@code ReconcileError} is recorded (repeats are
 * counted), and JOSDK retries with {@link #RETRY}.
 */
public final class ReconcileErrors {
    public static final String CONDITION = "Reconciled";
    public static final String REASON = EventReason.ReconcileError.name();

    /** 0.5 s doubling to 1 min, for as long as it takes: a Redis or API server outage ends some day. */
    public static final Retry RETRY = new GenericRetry().setInitialInterval(500).setIntervalMultiplier(2)
            .setMaxInterval(60_000).withoutMaxAttempts();

    private ReconcileErrors() {
    }

    /** Conflicts in a row that stay quiet (the first ~15 s of retries); writers that keep colliding are reported. */
    public static final int QUIET_CONFLICTS = 5;

    /**
     * A failure that needs no telling (no condition, no Event, an INFO line), retried with {@link #RETRY}: its
     * namespace is being deleted, so nothing can be created there and the object goes with it; or, for its first
     * {@link #QUIET_CONFLICTS} attempts in a row, the object changed since it was read (HTTP 409), so the next
     * reconcile reads the newer copy and decides again.
     *
     * @param attempt the failed attempts in a row before this one (JOSDK's retry count)
     */
    public static Optional<String> nothingToReport(Throwable e, int attempt) {
        if (matchesAll(e, ReconcileErrors::namespaceTerminating)) {
            return Optional.of("is in a namespace being deleted; nothing more is created there");
        }
        return attempt < QUIET_CONFLICTS && matchesAll(e, k -> conflict(k) || namespaceTerminating(k))
                ? Optional.of("changed while it was reconciled; reconciling the newer copy") : Optional.empty();
    }

    /** The failed attempts in a row before this reconcile, as JOSDK counts them. */
    public static int attempt(io.javaoperatorsdk.operator.api.reconciler.Context<?> context) {
        return context.getRetryInfo().map(io.javaoperatorsdk.operator.api.reconciler.RetryInfo::getAttemptCount)
                .orElse(0);
    }

    /** The object changed since it was read (HTTP 409 Conflict). */
    public static boolean isConflict(Throwable e) {
        return matchesAll(e, ReconcileErrors::conflict);
    }

    private static boolean conflict(KubernetesClientException e) {
        return e.getCode() == 409 && !alreadyExists(e);
    }

    /** The innermost client error of {@code e} is of the kind; for dependents failed together, each of theirs. */
    private static boolean matchesAll(Throwable e, java.util.function.Predicate<KubernetesClientException> kind) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof AggregatedOperatorException aggregated && !aggregated.getAggregatedExceptions().isEmpty()) {
                return aggregated.getAggregatedExceptions().values().stream().allMatch(one -> matchesAll(one, kind));
            }
            if (cause instanceof KubernetesClientException k && k.getCode() > 0) {
                return kind.test(k);
            }
        }
        return false;
    }

    private static boolean namespaceTerminating(KubernetesClientException e) {
        String message = message(e);
        // while it is deleted nothing can be created there; once it is gone, nothing can be found there either
        return message != null && (e.getCode() == 403 && message.contains("because it is being terminated")
                || e.getCode() == 404 && message.matches("(?s).*namespaces \"[^\"]+\" not found.*"));
    }

    private static String message(KubernetesClientException e) {
        return e.getStatus() == null || e.getStatus().getMessage() == null ? e.getMessage() : e.getStatus().getMessage();
    }

    /** Also a 409, but no race to wait out: an object of that name that is not ours blocks the create. */
    private static boolean alreadyExists(KubernetesClientException e) {
        String reason = e.getStatus() == null ? null : e.getStatus().getReason();
        String message = message(e);
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
