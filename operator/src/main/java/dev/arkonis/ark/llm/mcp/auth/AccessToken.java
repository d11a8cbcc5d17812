package dev.arkonis.ark.llm.mcp.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A bearer token and when to renew it: a tenth of its lifetime before it expires, at most a minute before, so
 * requests never carry a token about to lapse. A token without a lifetime is renewed only when refused.
 */
record AccessToken(String value, Instant issuedAt, Instant expiresAt, List<String> scopes) {
    private static final Duration MAX_MARGIN = Duration.ofMinutes(1);

    AccessToken {
        scopes = List.copyOf(scopes);
    }

    boolean dueForRenewal(Instant now) {
        if (expiresAt == null) {
            return false;
        }
        Duration lifetime = Duration.between(issuedAt, expiresAt);
        Duration margin = lifetime.dividedBy(10).compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : lifetime.dividedBy(10);
        return !now.isBefore(expiresAt.minus(margin));
    }

    boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "AccessToken[expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
    }
}
