package dev.arkonis.ark.llm.chat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * A provider call that got no HTTP answer, described in words with its endpoint. It carries no cause on purpose:
 * LangChain4j reports only the root of an exception chain, and the JDK's root (an UnresolvedAddressException, say)
 * says nothing a person can act on.
 */
final class CallFailure extends RuntimeException {
    private final String endpoint;
    private final String what;
    private final boolean mayHeal;

    private CallFailure(String endpoint, String what, boolean mayHeal) {
        super("cannot reach " + endpoint + ": " + what, null, false, false);
        this.endpoint = endpoint;
        this.what = what;
        this.mayHeal = mayHeal;
    }

    static CallFailure of(IOException e, String endpoint) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new CallFailure(endpoint, "host " + host(endpoint) + " not found (DNS)", false);
            }
            if (t instanceof SSLException ssl) {
                return new CallFailure(endpoint, "TLS failed: " + words(ssl.getMessage(), "handshake failed"), false);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpTimeoutException) {
                return new CallFailure(endpoint, "no answer in time", true);
            }
            if (t instanceof ConnectException) {
                return new CallFailure(endpoint, "connection refused", true);
            }
        }
        return new CallFailure(endpoint, words(e.getMessage(), "connection failed"), true);
    }

    /** Host, DNS and TLS failures do not heal by waiting. */
    boolean mayHeal() {
        return mayHeal;
    }

    String endpoint() {
        return endpoint;
    }

    /** What went wrong, without the endpoint ("connection refused"). */
    String what() {
        return what;
    }

    /** The URL without query or credentials: safe to print. */
    static String endpointOf(String url) {
        try {
            java.net.URI uri = java.net.URI.create(url);
            return new java.net.URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            int cut = url.indexOf('?');
            return cut < 0 ? url : url.substring(0, cut);
        }
    }

    private static String host(String endpoint) {
        try {
            String host = java.net.URI.create(endpoint).getHost();
            return host == null ? endpoint : host;
        } catch (IllegalArgumentException e) {
            return endpoint;
        }
    }

    private static String words(String message, String fallback) {
        return message == null || message.isBlank() ? fallback : message.toLowerCase(Locale.ROOT).strip();
    }
}
