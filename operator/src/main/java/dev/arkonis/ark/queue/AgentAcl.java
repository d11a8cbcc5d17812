package dev.arkonis.ark.queue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The Redis ACL of one agent's user, built in this one place: the agent's own keys ({@code <key>} and
 * {@code <key>.*}, where key is its stream key), no channels, and only the commands an agent sends. A feature that
 * gives agents more keys (a memo cache under the role's prefix, a namespace's rate-limit buckets) adds their patterns
 * with {@link #withKeys}.
 *
 * @param user        the ACL user's name, {@code ark-agent.<namespace>.<agent>}
 * @param keyPatterns glob patterns of the keys the user may touch
 */
public record AgentAcl(String user, List<String> keyPatterns) {
    private static final String USER_PREFIX = "ark-agent.";

    /**
     * What agents send, and nothing else. Connection: Lettuce's handshake (HELLO with AUTH, RESP2's AUTH and CLIENT
     * SETNAME) and the health check's PING (Lettuce's CLIENT SETINFO may fail: it ignores that). TaskConsumer: the
     * group and its consumers, reading, reclaiming, renewing and inspecting tasks, the heartbeat key, and its Lua
     * scripts (FINISH: XACK, XADD, XPENDING, XTRIM; REMOVE_IF_GONE: EXISTS, XPENDING, XGROUP DELCONSUMER; REQUEUE:
     * XACK, XADD, GET, SET). TokenLedger's scripts (RECORD, WINDOW): TIME and the hash and sorted set of buckets.
     * Scripts run as EVALSHA, or EVAL when Redis does not know them yet, each with the keys it touches declared.
     * DelegationChannel: a delegate call is an XADD on the task's result stream, its answer a BLPOP of the role's
     * reply list.
     */
    static final List<String> COMMANDS = List.of(
            "hello", "auth", "ping", "client|setname",
            "xgroup|create", "xgroup|createconsumer", "xgroup|delconsumer", "xinfo|consumers",
            "xreadgroup", "xautoclaim", "xclaim", "xpending", "xlen", "xack", "xadd", "xtrim",
            "set", "get", "del", "exists", "blpop",
            "time", "hincrby", "hget", "hdel", "zadd", "zrangebyscore", "zremrangebyscore",
            "evalsha", "eval");

    public AgentAcl {
        if (user == null || user.isBlank() || user.contains(" ")) {
            throw new IllegalArgumentException("an ACL user needs a name without spaces");
        }
        keyPatterns = List.copyOf(keyPatterns);
        if (keyPatterns.stream().anyMatch(p -> p.isBlank() || p.contains(" ") || p.equals("*"))) {
            throw new IllegalArgumentException("key patterns must be narrower than every key: " + keyPatterns);
        }
    }

    /** The user of one ArkAgent, confined to its stream key's keys. */
    public static AgentAcl forAgent(String namespace, String agent, String streamKey) {
        return new AgentAcl(userOf(namespace, agent), List.of(streamKey, streamKey + ".*"));
    }

    /** The ACL user of an ArkAgent; namespaces have no dots, so no two agents share a name. */
    public static String userOf(String namespace, String agent) {
        return USER_PREFIX + namespace + "." + agent;
    }

    /** Whether a user is one of ark's agents' (the operator removes only those). */
    public static boolean isAgentUser(String user) {
        return user.startsWith(USER_PREFIX);
    }

    /** The same user with more keys. */
    public AgentAcl withKeys(String... patterns) {
        List<String> all = new ArrayList<>(keyPatterns);
        all.addAll(List.of(patterns));
        return new AgentAcl(user, all);
    }

    /**
     * The rules of {@code ACL SETUSER <user> ...}: all of the user's rules at once (reset first), so setting them again
     * changes nothing and setting them after a change leaves nothing of the old ones. The password travels only as
     * its SHA-256, so no log, slowlog or monitor of Redis can show it.
     */
    public List<String> rules(String password) {
        List<String> rules = new ArrayList<>(List.of("reset", "on", "#" + sha256(password)));
        keyPatterns.forEach(pattern -> rules.add("~" + pattern));
        rules.add("resetchannels");
        rules.add("-@all");
        COMMANDS.forEach(command -> rules.add("+" + command));
        return rules;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
