package dev.arkonis.ark.http;

import java.time.Duration;
import java.util.Optional;

/**
 * How an ark server guards itself.
 *
 * @param requestTimeout a connection whose request (head and body) is not in within this long is closed, and so is
 *                       one whose reply the caller has not taken within this long
 * @param maxBodyBytes   larger bodies are refused with 413 without being read further
 * @param workers        threads that screen and answer requests
 * @param queued         requests waiting for a worker before more are refused with 503
 * @param tls            serve HTTPS with this certificate and key; empty = plain HTTP
 */
public record ServerOptions(Duration requestTimeout, int maxBodyBytes, int workers, int queued, Optional<TlsFiles> tls) {
    public ServerOptions {
        if (requestTimeout.isNegative() || requestTimeout.isZero() || maxBodyBytes < 0 || workers < 1 || queued < 0) {
            throw new IllegalArgumentException("not a server's options: " + requestTimeout + ", " + maxBodyBytes
                    + ", " + workers + ", " + queued);
        }
    }

    /** Plain HTTP, bodies up to {@code maxBodyBytes}. */
    public static ServerOptions plain(Duration requestTimeout, int maxBodyBytes, int workers) {
        return new ServerOptions(requestTimeout, maxBodyBytes, workers, 64, Optional.empty());
    }

    public ServerOptions withTls(Optional<TlsFiles> value) {
        return new ServerOptions(requestTimeout, maxBodyBytes, workers, queued, value);
    }
}
