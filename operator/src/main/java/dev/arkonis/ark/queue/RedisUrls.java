package dev.arkonis.ark.queue;

/** Redis URLs as they may appear in logs and messages: the password never does. */
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
}
