package dev.arkonis.ark.operator.trigger;

import dev.arkonis.ark.operator.EventReason;
import java.util.List;

/** What came of one fire of an ArkEvent. */
sealed interface FireResult {

    /** Runs were created (or, for a repeated fire, had been created already). */
    record Fired(List<String> runs, boolean repeated) implements FireResult {
    }

    /** Nothing was created; the reason names the Event, the message says why in words. */
    record Refused(EventReason reason, String message) implements FireResult {
    }
}
