package dev.arkonis.ark.operator.trigger;

import java.util.List;

/** What came of one fire of an ArkEvent. */
sealed interface FireResult {

    /** Runs were created (or, for a repeated fire, had been created already). */
    record Fired(List<String> runs, boolean repeated) implements FireResult {
    }

    /** Nothing was created; the reason is CamelCase for Events, the message says why in words. */
    record Refused(String reason, String message) implements FireResult {
    }
}
