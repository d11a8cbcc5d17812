package dev.arkonis.ark.queue;

/**
 * Approximate lengths (XADD MAXLEN ~) the agent keeps reply and dead-letter streams at.
 * Task streams need no limit: an acknowledgement trims every entry older than the oldest
 * pending one (MINID), so they hold only queued and in-flight tasks.
 *
 * @param replyMaxLen generous, so a reader that fell behind by less than this loses nothing
 * @param deadMaxLen  dead letters are for inspection; the newest are kept
 */
public record StreamLimits(long replyMaxLen, long deadMaxLen) {
    public static final StreamLimits DEFAULT = new StreamLimits(100_000, 10_000);

    public StreamLimits {
        if (replyMaxLen < 1 || deadMaxLen < 1) {
            throw new IllegalArgumentException("stream limits must be positive");
        }
    }
}
