package dev.arkonis.ark.operator.notify;

import dev.arkonis.ark.api.NotifyEventType;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Something an ArkNotify may be told: its type, the team it concerns, what it is about (run, agent or step), the
 * template data, and for a step that waits for approval what its link decides.
 */
record Notice(NotifyEventType type, String namespace, String team, String subject, Map<String, Object> data,
              Approval approval) {

    Notice(NotifyEventType type, String namespace, String team, String subject, Map<String, Object> data) {
        this(type, namespace, team, subject, data, null);
    }

    /** The asking of a step a link would decide: the run by uid, and when the step's own timeout ends it. */
    record Approval(String runUid, String step, int asking, Optional<Instant> deadline) {
    }

    Notice withData(Map<String, Object> more) {
        return new Notice(type, namespace, team, subject, more, approval);
    }
}
