package dev.arkonis.ark.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Bearer tokens as ark's servers take them: read from the header, compared and remembered by digest only. */
public final class BearerTokens {
    private BearerTokens() {
    }

    /** The token of an {@code Authorization: Bearer <token>} header; empty for any other header or none. */
    public static String of(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "";
        }
        return authorization.substring(7).strip();
    }

    /** Compares digests, so the time taken says nothing about how much of the token matched, or its length. */
    public static boolean same(String given, String expected) {
        return !given.isEmpty() && MessageDigest.isEqual(digest(given), digest(expected));
    }

    /** SHA-256 of the token: what may be kept in memory instead of the token itself. */
    public static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
