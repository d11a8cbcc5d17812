package dev.arkonis.ark.api;

/** Names shared by every part of ark: API group, labels, annotations, condition types. */
public final class Ark {
    public static final String GROUP = "arkonis.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    public static final String LABEL_TEAM = "arkonis.dev/team";
    public static final String LABEL_ROLE = "arkonis.dev/role";
    public static final String LABEL_AGENT = "arkonis.dev/agent";
    /** On runs an ArkEvent created: which event, and which fire of it (one fire creates a run per target). */
    public static final String LABEL_TRIGGER = "arkonis.dev/trigger";
    public static final String LABEL_FIRE = "arkonis.dev/fire";
    /** On the webhook token Secret of an ArkEvent. */
    public static final String LABEL_EVENT_TOKEN = "arkonis.dev/event-token";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "ark";
    /**
     * ark's copy of the organisation's API-key Secret in each agent namespace that uses it. Its name has a dot, which
     * Helm-style and kubectl-created Secret names rarely use; no field of a team or agent may read it.
     */
    public static final String API_KEYS_COPY = "ark-operator.api-keys";

    /** Set on an ArkRun (any value change) to reset its failed and skipped steps and resume it. */
    public static final String ANNOTATION_RETRY = "arkonis.dev/retry";
    /** Optional companion of {@link #ANNOTATION_RETRY}: only these steps (comma-separated) and what follows them. */
    public static final String ANNOTATION_RETRY_STEPS = "arkonis.dev/retry-steps";

    /**
     * Deciding an approval step: {@code approve.arkonis.dev/<step>} or {@code reject.arkonis.dev/<step>} holding the
     * decider's own user name as the API server knows them (the admission policy ark-approvals checks it against the
     * request), and optionally {@code comment.arkonis.dev/<step>}, set in the same request; {@code <step>} is
     * {@link #decisionName}.
     */
    public static final String ANNOTATION_APPROVE_PREFIX = "approve.arkonis.dev/";
    public static final String ANNOTATION_REJECT_PREFIX = "reject.arkonis.dev/";
    public static final String ANNOTATION_COMMENT_PREFIX = "comment.arkonis.dev/";
    /** Room an approval step's name leaves for the asking in its decision's annotation ({@code <step>.<n>}). */
    public static final int MAX_APPROVAL_STEP_NAME = 58;

    /**
     * The name part of the annotations deciding one asking of an approval step: {@code <step>} the first time it
     * asks, {@code <step>.<n>} when a retry asks again. Decisions are never changed, so each asking has keys of its own.
     */
    public static String decisionName(String step, int asking) {
        return asking <= 1 ? step : step + "." + asking;
    }
    /** On a run created from another one (spec.resumeFrom): the earlier run's name. */
    public static final String LABEL_RESUMED_FROM = "arkonis.dev/resumed-from";

    public static final String CONDITION_READY = "Ready";
    public static final String CONDITION_VALID = "Valid";
    public static final String CONDITION_BUDGET_EXCEEDED = "BudgetExceeded";
    /** False while the token ledger in Redis cannot be read; the budget fields then show the last known usage. */
    public static final String CONDITION_LEDGER_REACHABLE = "LedgerReachable";
    /** True while an agent's pods use a Redis user of their own, confined to the agent's keys. */
    public static final String CONDITION_QUEUE_ISOLATED = "QueueIsolated";

    private Ark() {
    }
}
