package dev.arkonis.ark.llm.mcp.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Bearer challenge of a {@code WWW-Authenticate} header (RFC 6750 §3, RFC 9728 §5.1): what the server asks for
 * when it refuses a request.
 *
 * @param error            {@code invalid_token}, {@code insufficient_scope}, ... or null
 * @param scopes           the scopes the server needs, empty when it names none
 * @param resourceMetadata where the server's protected resource metadata is, or null
 */
public record Challenge(String error, List<String> scopes, String resourceMetadata) {
    public Challenge {
        scopes = List.copyOf(scopes);
    }

    public boolean insufficientScope() {
        return "insufficient_scope".equals(error);
    }

    /** The Bearer challenge among the header values (a value may hold several challenges), if there is one. */
    public static Optional<Challenge> bearer(List<String> headerValues) {
        for (String value : headerValues) {
            for (Parsed challenge : parse(value)) {
                if ("bearer".equals(challenge.scheme)) {
                    Map<String, String> p = challenge.params;
                    String scope = p.get("scope");
                    List<String> scopes = scope == null || scope.isBlank() ? List.of()
                            : Arrays.asList(scope.trim().split("\\s+"));
                    return Optional.of(new Challenge(p.get("error"), scopes, p.get("resource_metadata")));
                }
            }
        }
        return Optional.empty();
    }

    private record Parsed(String scheme, Map<String, String> params) {
    }

    /**
     * RFC 9110 §11.6.1: a challenge is a scheme followed by comma-separated auth-params (token or quoted-string); a
     * token not followed by {@code =} starts the next challenge. A token68 credential parses as junk params of its
     * scheme, which only matters for the schemes this client ignores.
     */
    private static List<Parsed> parse(String header) {
        List<Parsed> challenges = new ArrayList<>();
        Cursor in = new Cursor(header);
        Parsed current = null;
        while (in.skipSpaceAndCommas()) {
            String token = in.token();
            if (token.isEmpty()) {
                in.skipOne();
                continue;
            }
            in.skipSpace();
            if (current != null && in.peek() == '=') {
                in.skipOne();
                in.skipSpace();
                String value = in.peek() == '"' ? in.quoted() : in.bare();
                current.params.putIfAbsent(token.toLowerCase(Locale.ROOT), value);
            } else {
                current = new Parsed(token.toLowerCase(Locale.ROOT), new LinkedHashMap<>());
                challenges.add(current);
            }
        }
        return challenges;
    }

    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s) {
            this.s = s == null ? "" : s;
        }

        char peek() {
            return i < s.length() ? s.charAt(i) : 0;
        }

        void skipOne() {
            i++;
        }

        void skipSpace() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        /** Skips blanks and commas; false at the end. */
        boolean skipSpaceAndCommas() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == ',')) {
                i++;
            }
            return i < s.length();
        }

        String token() {
            int start = i;
            while (i < s.length() && "!#$%&'*+-.^_`|~".indexOf(s.charAt(i)) >= 0
                    || i < s.length() && Character.isLetterOrDigit(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        /** An unquoted value, read leniently up to the next comma or blank (some servers leave URLs unquoted). */
        String bare() {
            int start = i;
            while (i < s.length() && s.charAt(i) != ',' && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                i++;
            }
            return s.substring(start, i);
        }

        String quoted() {
            StringBuilder out = new StringBuilder();
            i++;
            while (i < s.length() && s.charAt(i) != '"') {
                if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                    i++;
                }
                out.append(s.charAt(i++));
            }
            i++;
            return out.toString();
        }
    }
}
