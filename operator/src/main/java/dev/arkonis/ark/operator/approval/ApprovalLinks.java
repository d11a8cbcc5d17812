package dev.arkonis.ark.operator.approval;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Links that decide one approval step, for people who get an ArkNotify message and no cluster access: {@code
 * <base>/approvals/<token>}, the token naming the run (by name and uid, so a new run of the same name is not
 * decided by an old link), the step and which asking of it (a retry asks afresh), the ArkNotify that sent it (recorded as who decided: {@code link:<notify>}) and
 * when it expires, signed with HMAC-SHA256 under the operator's link key. Whoever holds the link may decide the step
 * until it expires or the step is decided; nothing else opens anything.
 */
public final class ApprovalLinks {
    /** Where the links' path starts, on the operator's webhook port. */
    public static final String PATH = "/approvals/";
    private static final String VERSION = "a1";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    /** What one link decides, and until when. */
    public record Grant(String namespace, String run, String uid, String step, int asking, String notifier,
                        Instant expires) {
        /** As the decision annotation records who decided: the channel the link went out on. */
        public String decider() {
            return "link:" + notifier;
        }
    }

    private final SecretKeySpec key;
    private final String baseUrl;

    /** @param key at least 32 bytes of the operator's secret; @param baseUrl where people reach the webhook port */
    public ApprovalLinks(byte[] key, String baseUrl) {
        if (key.length < 32) {
            throw new IllegalArgumentException("an approval link key needs at least 32 bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String url(Grant grant) {
        return baseUrl + PATH + token(grant);
    }

    String token(Grant grant) {
        String payload = String.join("\n", VERSION, grant.namespace(), grant.run(), grant.uid(), grant.step(),
                Integer.toString(grant.asking()), grant.notifier(), Long.toString(grant.expires().getEpochSecond()));
        String encoded = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return encoded + "." + B64.encodeToString(sign(encoded));
    }

    /** The grant of a token this key signed, expired or not; empty for anything else. */
    public Optional<Grant> read(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        String encoded = token.substring(0, dot);
        byte[] given;
        try {
            given = UNB64.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(sign(encoded), given)) {
            return Optional.empty();
        }
        String[] parts;
        try {
            parts = new String(UNB64.decode(encoded), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (parts.length != 8 || !VERSION.equals(parts[0])) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Grant(parts[1], parts[2], parts[3], parts[4], Integer.parseInt(parts[5]), parts[6],
                    Instant.ofEpochSecond(Long.parseLong(parts[7]))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private byte[] sign(String encoded) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(encoded.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
