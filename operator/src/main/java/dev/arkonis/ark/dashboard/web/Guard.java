package dev.arkonis.ark.dashboard.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What every request must pass before a page is built, against other web pages in the same browser: the Host must be
 * one of ours (a DNS-rebinding page sends its own name), and a form must come from our own origin. The headers every
 * answer carries keep the browser from running anything but our script, framing us, or sending our URLs elsewhere.
 */
public final class Guard {
    /** Only our own script and styles; no inline script or style, no plugins, no framing, forms only to us. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> names;

    /** Host names answered to besides loopback names and addresses (e.g. the Service's and the Ingress' names). */
    public Guard(List<String> allowedHosts) {
        this.names = Set.copyOf(allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
    }

    /**
     * Whether the Host header names us. Addresses are fine: DNS rebinding needs a name of the attacker's, which the
     * browser then sends; so names are allowed only when they are loopback's or configured.
     */
    public boolean hostAllowed(String host) {
        String name = hostName(host);
        if (name == null) {
            return false;
        }
        return name.equals("localhost") || IPV4.matcher(name).matches() || name.startsWith("[") || names.contains(name);
    }

    /** A form counts as ours when the browser says it came from the origin it was sent to. */
    public boolean sameOrigin(WebRequest request) {
        String host = request.header("host");
        String origin = request.header("origin");
        if (origin != null && !origin.equals("null")) {
            try {
                URI uri = URI.create(origin);
                String authority = uri.getRawAuthority();
                return authority != null && host != null && normalise(authority, uri.getScheme())
                        .equals(normalise(host, uri.getScheme()));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return "same-origin".equals(request.header("sec-fetch-site"));
    }

    /** Headers for every answer: the policy above, no sniffing, no referrer, no caching of cluster data. */
    public static Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
        h.put("Cache-Control", "no-store");
        return h;
    }

    /** The name of a Host header value, lower case, without its port; null when there is none. */
    static String hostName(String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? null : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static String normalise(String authority, String scheme) {
        String a = authority.toLowerCase(Locale.ROOT);
        String defaultPort = "https".equalsIgnoreCase(scheme) ? ":443" : ":80";
        return a.endsWith(defaultPort) ? a.substring(0, a.length() - defaultPort.length()) : a;
    }
}
