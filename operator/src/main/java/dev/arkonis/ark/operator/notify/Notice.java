package dev.arkonis.ark.operator.notify;

import dev.arkonis.ark.api.NotifyEventType;
import java.util.Map;

/**
 * Something an ArkNotify may be told: its type, the team it concerns, what it is about (run, agent or step) and the
 * template data.
 */
record Notice(NotifyEventType type, String namespace, String team, String subject, Map<String, Object> data) {
}
