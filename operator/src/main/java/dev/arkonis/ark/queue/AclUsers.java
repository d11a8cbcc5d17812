package dev.arkonis.ark.queue;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents' ACL users in Redis, as the operator's user keeps them. A user is set again only when its rules or
 * password changed, or after Redis came back ({@link #forget}): ACL users live in Redis's memory only, so a restart,
 * with or without persistence, loses them. A Redis where the operator's user may not manage ACLs (a managed Redis:
 * NOPERM, or an unknown command) refuses: agents then share a credential.
 */
public final class AclUsers {
    /**
     * What setting a user came to: it exists with exactly these rules and this password, or this Redis does not let the
     * operator manage ACL users.
     *
     * @param refusal Redis's answer when refused (its first line, never a credential)
     */
    public record Outcome(boolean set, String refusal) {
        static final Outcome SET = new Outcome(true, null);

        static Outcome refused(RedisCommandExecutionException e) {
            String message = e.getMessage() == null ? "refused" : e.getMessage();
            return new Outcome(false, message.lines().findFirst().orElse("refused").replaceAll("#[0-9a-f]{64}", "#…"));
        }
    }

    private final RedisCommands<String, String> redis;
    private final Map<String, String> set = new ConcurrentHashMap<>();

    public AclUsers(StatefulRedisConnection<String, String> connection) {
        this.redis = connection.sync();
    }

    /**
     * Sets the user (ACL SETUSER, all rules at once). Fails as Redis commands fail when Redis cannot be reached;
     * any other refusal than a missing permission fails too, with Redis's words (they never hold the password).
     */
    public Outcome set(AgentAcl acl, String password) {
        List<String> rules = acl.rules(password);
        String fingerprint = String.join(" ", rules);
        if (fingerprint.equals(set.get(acl.user()))) {
            return Outcome.SET;
        }
        try {
            redis.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(acl.user()).addValues(rules));
        } catch (RedisCommandExecutionException e) {
            if (notPermitted(e)) {
                return Outcome.refused(e);
            }
            throw e;
        }
        set.put(acl.user(), fingerprint);
        return Outcome.SET;
    }

    /** Removes the user (ACL DELUSER, which also closes its connections); nothing to do where ACLs are not ours. */
    public void delete(String user) {
        set.remove(user);
        try {
            redis.aclDeluser(user);
        } catch (RedisCommandExecutionException e) {
            if (!notPermitted(e)) {
                throw e;
            }
        }
    }

    /** Redis may have lost its users (it came back after a lost connection): every user is set again when next asked. */
    public void forget() {
        set.clear();
    }

    /** NOPERM, or ACL (or one of its subcommands) unknown or renamed away, as managed Redis services answer. */
    static boolean notPermitted(RedisCommandExecutionException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return message.startsWith("noperm") || message.contains("unknown command") || message.contains("unknown subcommand");
    }
}
