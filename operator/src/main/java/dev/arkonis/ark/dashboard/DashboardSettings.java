package dev.arkonis.ark.dashboard;

import dev.arkonis.ark.queue.RedisEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How {@code ark dashboard} serves: where it listens, how a browser signs in, whether actions are allowed, which host
 * names it answers to (besides loopback ones), how long sessions last, the namespace shown first (null: all), and
 * and where Redis is for queue depths and whole outputs (empty: nowhere known).
 */
public record DashboardSettings(String address, int port, SignIn signIn, boolean readOnly, List<String> allowedHosts,
        Duration sessionIdle, Duration sessionLifetime, String namespace, Optional<RedisEndpoint> taskQueue) {

    public static final Duration SESSION_IDLE = Duration.ofMinutes(30);
    public static final Duration SESSION_LIFETIME = Duration.ofHours(8);

    /** How a browser session gets its rights to the cluster. */
    public enum SignIn {
        /** The credentials of the kubeconfig, once the browser shows the one-time code printed at start. */
        CODE,
        /** A bearer token each person pastes; it is forwarded to the API server and never stored elsewhere. */
        TOKEN,
        /** No sign-in at all: only with --read-only, for a ServiceAccount's read rights. */
        NONE
    }

    public DashboardSettings {
        allowedHosts = List.copyOf(allowedHosts);
        if (signIn == SignIn.NONE && !readOnly) {
            throw new IllegalArgumentException("--sign-in none needs --read-only: without sign-in anyone who reaches"
                    + " the port would act with the dashboard's credentials");
        }
    }
}
