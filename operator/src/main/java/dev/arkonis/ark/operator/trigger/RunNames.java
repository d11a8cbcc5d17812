package dev.arkonis.ark.operator.trigger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names of the runs a fire creates: deterministic from event, fire and target, so a repeated fire is a no-op. */
final class RunNames {
    static final int MAX = 63;

    private RunNames() {
    }

    /** {@code <event>-<fire>} for a single target, {@code <event>-<fire>-<index>} otherwise; at most 63 characters. */
    static String of(String event, String fireKey, int index, int targets) {
        String suffix = "-" + fireKey + (targets > 1 ? "-" + index : "");
        String head = event.length() + suffix.length() <= MAX ? event : event.substring(0, MAX - suffix.length());
        while (head.endsWith("-") || head.endsWith(".")) {
            head = head.substring(0, head.length() - 1);
        }
        return head + suffix;
    }

    /** A label value for a name that may be longer than a label allows. */
    static String labelValue(String name) {
        return name.length() <= MAX ? name : name.substring(0, 52) + "-" + hash(name).substring(0, 10);
    }

    /** Ten hex characters of SHA-256: a short, stable fire key from any text. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
