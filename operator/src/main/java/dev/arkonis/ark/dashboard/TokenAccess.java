package dev.arkonis.ark.dashboard;

import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Each session signs in with a bearer token that is forwarded to the API server, so the person's own RBAC decides
 * everything; the dashboard's own credentials are never used. The token is checked once by asking the API server who
 * it belongs to (a SelfSubjectReview, which every authenticated user may create).
 */
public final class TokenAccess implements Access {
    private final Config server;

    /** {@code cluster}: where the API server is and how to trust it; any credentials in it are dropped. */
    public TokenAccess(Config cluster) {
        this.server = new ConfigBuilder(Config.empty())
                .withMasterUrl(cluster.getMasterUrl())
                .withCaCertFile(cluster.getCaCertFile())
                .withCaCertData(cluster.getCaCertData())
                .withTrustCerts(cluster.isTrustCerts())
                .withDisableHostnameVerification(cluster.isDisableHostnameVerification())
                .withConnectionTimeout(cluster.getConnectionTimeout())
                .withRequestTimeout(cluster.getRequestTimeout())
                .withRequestRetryBackoffLimit(0)
                // the API server drops an HTTP/2 connection whose request it could not authenticate (its mitigation
                // of HTTP/2 abuse) before a wrong token's 401 arrives; over HTTP/1.1 the 401 is read
                .withHttp2Disable(true)
                .build();
    }

    @Override
    public DashboardSettings.SignIn kind() {
        return DashboardSettings.SignIn.TOKEN;
    }

    @Override
    public Identity signIn(String token) throws SignInRefused {
        if (token == null || token.isBlank()) {
            throw new SignInRefused("paste a bearer token (kubectl create token <serviceaccount> makes one)");
        }
        Config config = new ConfigBuilder(server).withOauthToken(token.strip()).build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        try {
            SelfSubjectReview review = client.authentication().v1().selfSubjectReviews().create(new SelfSubjectReview());
            String user = review.getStatus() == null || review.getStatus().getUserInfo() == null ? "?"
                    : review.getStatus().getUserInfo().getUsername();
            return new Identity(client, user, true);
        } catch (KubernetesClientException e) {
            client.close();
            if (e.getCode() == 401) {
                throw new SignInRefused("the cluster did not accept this token (401 Unauthorized)");
            }
            throw new SignInRefused("could not check the token with the cluster at " + server.getMasterUrl() + ": "
                    + (e.getCode() > 0 ? e.getCode() + " " : "") + dev.arkonis.ark.cli.ClusterErrors.firstMessage(e));
        }
    }
}
