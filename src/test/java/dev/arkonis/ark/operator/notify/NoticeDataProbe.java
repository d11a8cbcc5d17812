package dev.arkonis.ark.operator.notify;

import dev.arkonis.ark.api.RunStatus;
import java.time.Duration;
import java.time.Instant;

/** The run duration a message shows, worked out as a reader of the status would. */
final class NoticeDataProbe {
    long duration(RunStatus status) {
        return Duration.between(Instant.parse(status.startTime()), Instant.parse(status.completionTime())).toSeconds();
    }
}
