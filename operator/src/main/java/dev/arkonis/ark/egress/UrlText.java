package dev.arkonis.ark.egress;

import java.net.URI;

/**
 * What of a URL may be shown in an error (which reaches a model, a status or an Event): its scheme, host and port.
 * Its userinfo, path and query may carry a token (a Slack webhook's path is its secret) and are never shown.
 */
public final class UrlText {
    private UrlText() {
    }

    /** {@code scheme://host[:port]}, or {@code "the URL"} when it cannot be read as one. */
    public static String origin(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "the URL";
            }
            return uri.getScheme() + "://" + (uri.getHost().contains(":") ? "[" + uri.getHost() + "]" : uri.getHost())
                    + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "the URL";
        }
    }

    /** {@code text} with the URL, its userinfo, path and query replaced, however a library quoted them. */
    public static String scrub(String text, String url) {
        if (text == null) {
            return "";
        }
        String stripped = url.strip();
        String result = text.replace(stripped, origin(stripped) + "/…");
        try {
            URI uri = URI.create(stripped);
            for (String secret : new String[] {uri.getRawQuery(), uri.getQuery(), uri.getRawUserInfo(), uri.getUserInfo(),
                    uri.getRawPath(), uri.getPath()}) {
                if (secret != null && secret.length() > 1) {
                    result = result.replace(secret, "…");
                }
            }
        } catch (IllegalArgumentException e) {
            // not a URI: the whole text was replaced above if present
        }
        return result;
    }
}
