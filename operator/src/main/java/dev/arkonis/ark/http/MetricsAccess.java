package dev.arkonis.ark.http;

import java.util.Optional;

/** Who may read {@code /metrics}. */
public interface MetricsAccess {
    /** Anyone who reaches the port. */
    MetricsAccess OPEN = authorization -> Optional.empty();

    /**
     * @param authorization the request's {@code Authorization} header, or null
     * @return a refusal (401 without a valid token, 403 without the right), or empty to serve the metrics
     */
    Optional<HttpReply> refusal(String authorization);
}
