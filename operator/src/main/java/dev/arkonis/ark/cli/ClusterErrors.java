package dev.arkonis.ark.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * A failed API call in one line naming the server and the cause, instead of fabric8's
 * "Operation: [list] for kind: [ArkRun] ... failed."; and whether the cluster was reached at all.
 */
public final class ClusterErrors {
    /** What went wrong and the exit code it deserves. */
    public record Described(String message, int exitCode) {
    }

    private ClusterErrors() {
    }

    public static Described describe(KubernetesClientException e, String server, String what) {
        String unreachable = unreachable(e);
        if (unreachable != null) {
            return new Described("cannot reach the cluster at " + server + ": " + unreachable, ExitCodes.INVALID);
        }
        int code = e.getCode();
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : firstMessage(e);
        return switch (code) {
            case 401 -> new Described("the cluster at " + server + " refused the credentials (401 Unauthorized); "
                    + "check the kubeconfig's user", ExitCodes.INVALID);
            case 403 -> new Described(what + ": forbidden (403): " + reason, ExitCodes.RUN_FAILED);
            case 404 -> new Described(what + ": not found (404) at " + server + ": " + reason
                    + "; are ark's CRDs installed? (kubectl apply -f crds/)", ExitCodes.RUN_FAILED);
            default -> new Described(what + " failed at " + server + (code > 0 ? " (" + code + ")" : "") + ": " + reason,
                    ExitCodes.RUN_FAILED);
        };
    }

    /** Why no answer came at all (refused, unknown host, timeout, TLS), or null when the server answered. */
    private static String unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "host not found (DNS)";
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "connection refused";
            }
            if (t instanceof HttpTimeoutException || t instanceof TimeoutException || t instanceof InterruptedIOException) {
                return "no answer within the timeout";
            }
            if (t instanceof SSLException ssl) {
                return "TLS failed: " + (ssl.getMessage() == null ? "handshake failed" : ssl.getMessage());
            }
        }
        return null;
    }

    public static String firstMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && !m.startsWith("Operation: [")) {
                return m.lines().findFirst().orElse(m);
            }
        }
        return "no details given";
    }
}
