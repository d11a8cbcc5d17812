package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.ApprovalSpec;
import dev.arkonis.ark.api.ApprovalVerdict;
import dev.arkonis.ark.gotemplate.Template;
import dev.arkonis.ark.gotemplate.TemplateException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** How an approval step asks, how a decision or its timeout settles it, and what the step then says. */
final class ApprovalGate {
    static final String WAITING = "waiting for approval";

    /** What a decided approval step becomes: approved with its output, or failed with why. */
    record Settled(ApprovalState state, boolean approved, String output, String message) {
    }

    private ApprovalGate() {
    }

    /** The question, rendered over what the run knows so far; the step's name when the step sets no message. */
    static ApprovalState ask(StepDefinition def, Map<String, Object> data) throws TemplateException {
        String message = def.spec().approval().message();
        if (message == null || message.isBlank()) {
            return ApprovalState.asking("approve step " + def.name() + "?");
        }
        return ApprovalState.asking(Template.parse(message).render(data));
    }

    /** Where the message template is, for errors. */
    static Template template(StepDefinition def) {
        try {
            String message = def.spec().approval().message();
            return Template.parse(message == null ? "" : message);
        } catch (TemplateException e) {
            throw new IllegalStateException("validated template failed to parse: " + e.getMessage(), e);
        }
    }

    static Optional<Duration> timeout(StepDefinition def) {
        String timeout = def.spec().approval().timeout();
        return timeout == null || timeout.isBlank() ? Optional.empty() : Optional.of(Durations.parse(timeout));
    }

    static Settled decide(ApprovalState asking, ApprovalDecision decision) {
        String comment = decision.comment() == null || decision.comment().isBlank() ? null : cut(decision.comment().strip());
        String who = decision.by() == null || decision.by().isBlank() ? "an unknown user" : decision.by();
        ApprovalState decided = new ApprovalState(asking.message(),
                decision.approved() ? ApprovalVerdict.Approved : ApprovalVerdict.Rejected, decision.by(),
                decision.at(), comment, false);
        String said = comment == null ? "" : ": " + comment;
        return decision.approved()
                ? new Settled(decided, true, comment == null ? "" : comment, "approved by " + who + said)
                : new Settled(decided, false, null, "rejected by " + who + said);
    }

    static Settled timedOut(StepDefinition def, ApprovalState asking, Instant now) {
        boolean approve = def.spec().approval().effectiveOnTimeout() == ApprovalSpec.OnTimeout.APPROVE;
        ApprovalState decided = new ApprovalState(asking.message(),
                approve ? ApprovalVerdict.Approved : ApprovalVerdict.Rejected, null, now, null, true);
        String after = timeout(def).map(ApprovalGate::describe).orElse("its timeout");
        return new Settled(decided, approve, approve ? "" : null, "no decision within " + after + ": "
                + (approve ? "approved" : "rejected") + " by its timeout (onTimeout: " + (approve ? "approve" : "reject") + ")");
    }

    private static String cut(String comment) {
        return comment.length() <= ApprovalDecision.MAX_COMMENT_CHARS ? comment
                : comment.substring(0, ApprovalDecision.MAX_COMMENT_CHARS);
    }

    private static String describe(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
