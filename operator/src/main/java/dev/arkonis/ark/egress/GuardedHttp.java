package dev.arkonis.ark.egress;

import java.io.IOException;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * HTTP clients for calls made on a tenant's behalf: every connection goes through the {@link EgressPolicy} (no
 * proxy, so the address checked is the one connected to), and bodies are read only up to a bound.
 */
public final class GuardedHttp {
    private GuardedHttp() {
    }

    /**
     * @param followRedirects whether redirects are followed (each new connection is checked again)
     */
    public static OkHttpClient client(EgressPolicy policy, Duration connectTimeout, Duration callTimeout,
                                      boolean followRedirects) {
        return new OkHttpClient.Builder()
                .socketFactory(new GuardedSocketFactory(policy))
                .proxy(Proxy.NO_PROXY)
                .connectTimeout(connectTimeout)
                .readTimeout(callTimeout)
                .writeTimeout(callTimeout)
                .callTimeout(callTimeout)
                .followRedirects(followRedirects)
                .followSslRedirects(followRedirects)
                .build();
    }

    /** A body read up to a bound: its text, and whether there was more. */
    public record Bounded(String text, boolean cut) {
    }

    /** Reads at most {@code limit} bytes of the body (as UTF-8); the rest is never read. */
    public static Bounded read(ResponseBody body, long limit) throws IOException {
        if (body == null) {
            return new Bounded("", false);
        }
        BufferedSource source = body.source();
        boolean more = source.request(limit + 1);
        Buffer buffer = source.getBuffer();
        long size = Math.min(limit, buffer.size());
        String text = buffer.readString(size, StandardCharsets.UTF_8);
        return new Bounded(text, more);
    }

    /** The egress refusal behind a failed call, if that is why it failed. */
    public static Optional<EgressRefusedException> refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EgressRefusedException refused) {
                return Optional.of(refused);
            }
            for (Throwable suppressed : t.getSuppressed()) {
                Optional<EgressRefusedException> found = refusal(suppressed);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
