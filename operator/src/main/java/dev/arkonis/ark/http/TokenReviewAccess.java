package dev.arkonis.ark.http;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} for callers the API server vouches for, as kubebuilder's secure metrics: the bearer token is
 * checked by a TokenReview, and its user must be allowed {@code get} on the non-resource URL {@code /metrics}
 * (a SubjectAccessReview). Decisions are remembered for a while (by the token's digest), so a scraper costs the API
 * server two requests a minute, not two per scrape.
 */
public final class TokenReviewAccess implements MetricsAccess {
    static final String PATH = "/metrics";
    private static final Logger LOG = LoggerFactory.getLogger("http");
    private static final Duration ALLOWED_FOR = Duration.ofMinutes(1);
    private static final Duration REFUSED_FOR = Duration.ofSeconds(10);
    private static final int REMEMBERED = 1024;

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Decision> decisions = new ConcurrentHashMap<>();

    private record Decision(Optional<HttpReply> refusal, Instant until) {
    }

    public TokenReviewAccess(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public Optional<HttpReply> refusal(String authorization) {
        String token = BearerTokens.of(authorization);
        if (token.isEmpty()) {
            return Optional.of(unauthorized("a bearer token is required"));
        }
        String digest = HexFormat.of().formatHex(BearerTokens.digest(token));
        Instant now = clock.instant();
        Decision known = decisions.get(digest);
        if (known != null && now.isBefore(known.until())) {
            return known.refusal();
        }
        Optional<HttpReply> refusal;
        try {
            refusal = review(token);
        } catch (KubernetesClientException e) {
            LOG.warn("cannot check a /metrics caller's token with the API server: {}", e.getMessage());
            return Optional.of(HttpReply.text(503, "cannot check the token now\n").withHeader("Retry-After", "5"));
        }
        if (decisions.size() >= REMEMBERED) {
            decisions.clear();
        }
        decisions.put(digest, new Decision(refusal, now.plus(refusal.isEmpty() ? ALLOWED_FOR : REFUSED_FOR)));
        return refusal;
    }

    private Optional<HttpReply> review(String token) {
        TokenReview review = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                .withNewSpec().withToken(token).endSpec().build());
        if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())) {
            return Optional.of(unauthorized("the token was not accepted"));
        }
        UserInfo user = review.getStatus().getUser();
        SubjectAccessReview access = client.authorization().v1().subjectAccessReview().create(
                new SubjectAccessReviewBuilder().withNewSpec()
                        .withUser(user.getUsername()).withGroups(user.getGroups()).withUid(user.getUid())
                        .withExtra(user.getExtra())
                        .withNewNonResourceAttributes().withPath(PATH).withVerb("get").endNonResourceAttributes()
                        .endSpec().build());
        if (access.getStatus() == null || !Boolean.TRUE.equals(access.getStatus().getAllowed())) {
            return Optional.of(HttpReply.text(403, user.getUsername() + " may not get " + PATH + "\n"));
        }
        return Optional.empty();
    }

    private static HttpReply unauthorized(String why) {
        return HttpReply.text(401, why + "\n").withHeader("WWW-Authenticate", "Bearer");
    }
}
