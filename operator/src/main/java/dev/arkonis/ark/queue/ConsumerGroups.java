package dev.arkonis.ark.queue;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;

/** Creates the agents' group from id 0 with MKSTREAM, so tasks added before any agent started are not skipped. */
final class ConsumerGroups {
    private ConsumerGroups() {
    }

    static void ensure(RedisCommands<String, String> redis, String streamKey) {
        ensure(redis, streamKey, RoleKeys.GROUP);
    }

    static void ensure(RedisCommands<String, String> redis, String streamKey, String group) {
        try {
            redis.xgroupCreate(StreamOffset.from(streamKey, "0"), group, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisCommandExecutionException e) {
            // whoever came first created it; that is the normal case
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** NOGROUP, or the stream itself is gone (XGROUP on a missing key). */
    static boolean isMissingGroup(Throwable e) {
        return e instanceof RedisCommandExecutionException && e.getMessage() != null
                && (e.getMessage().startsWith("NOGROUP") || e.getMessage().contains("requires the key to exist"));
    }
}
