package dev.arkonis.ark.queue;

import java.util.ArrayList;
import java.util.List;

/** Redis URLs as they may appear in logs and messages (the password never does), and the hosts they name. */
public final class RedisUrls {
    private RedisUrls() {
    }

    /**
     * {@code redis://user:secret@host:6379} becomes {@code redis://user:***@host:6379}; a user-info
     * without ':' is a password to Lettuce ({@code redis://secret@host}) and becomes {@code ***}.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        int schemeEnd = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (schemeEnd < 0 || at < schemeEnd) {
            return url;
        }
        String userInfo = url.substring(schemeEnd + 3, at);
        int colon = userInfo.indexOf(':');
        String redacted = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
        return url.substring(0, schemeEnd + 3) + redacted + url.substring(at);
    }

    /**
     * The host names (or addresses, IPv6 without brackets) a URL names: one for {@code redis://host:port}, every
     * Sentinel of {@code redis-sentinel://h1:26379,h2:26379#primary}. Empty for text that is no URL.
     */
    public static List<String> hosts(String url) {
        if (url == null) {
            return List.of();
        }
        String rest = url.strip();
        int schemeEnd = rest.indexOf("://");
        if (schemeEnd < 0) {
            return List.of();
        }
        rest = rest.substring(schemeEnd + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int at = rest.indexOf(c);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        rest = rest.substring(0, end);
        rest = rest.substring(rest.lastIndexOf('@') + 1);
        List<String> hosts = new ArrayList<>();
        for (String node : rest.split(",")) {
            String host = node.startsWith("[") && node.contains("]") ? node.substring(1, node.indexOf(']'))
                    : node.contains(":") ? node.substring(0, node.indexOf(':')) : node;
            if (!host.isBlank()) {
                hosts.add(host);
            }
        }
        return List.copyOf(hosts);
    }
}
