package dev.arkonis.ark.llm.mcp.auth;

import static dev.arkonis.ark.llm.mcp.auth.AuthorizationServerStub.CLIENT_ID;
import static dev.arkonis.ark.llm.mcp.auth.AuthorizationServerStub.CLIENT_SECRET;
import static dev.arkonis.ark.llm.mcp.auth.AuthorizationServerStub.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OAuthSessionTest {

    @Test
    void aRequestRefusedBeforeTheTokenCameIsSentAgainWithItAndOnlyARejectedTokenIsReplaced() throws Exception {
        try (AuthorizationServerStub issuer = new AuthorizationServerStub()) {
            issuer.resourceMetadata(issuer.issuer() + "/mcp");
            OAuthSession session = new OAuthSession("wiki", URI.create(issuer.issuer() + "/mcp"),
                    new ClientCredentials(CLIENT_ID, CLIENT_SECRET, null, null, null, null), HttpClient.newHttpClient(),
                    Duration.ofSeconds(10), Clock.systemUTC(), uri -> { });
            assertThat(session.token()).isEmpty();

            assertThat(session.refused(401, Optional.empty(), null)).isTrue();
            assertThat(session.refused(401, Optional.empty(), null)).as("sent without a token, in parallel").isTrue();
            assertThat(issuer.tokenRequests()).hasSize(1);
            assertThat(session.token()).contains(token(1));

            assertThat(session.refused(401, Optional.empty(), token(1))).isTrue();
            assertThat(issuer.tokenRequests()).hasSize(2);
            assertThat(session.token()).contains(token(2));

            Challenge forbidden = new Challenge(null, List.of(), null);
            assertThat(session.refused(403, Optional.of(forbidden), token(2))).as("403 without a scope to add").isFalse();
            assertThat(issuer.tokenRequests()).hasSize(2);
        }
    }

    @Test
    void discoveryAndTokenRequestsGoOnlyWhereTheEgressGuardLetsThem() throws Exception {
        try (AuthorizationServerStub issuer = new AuthorizationServerStub()) {
            issuer.resourceMetadata(issuer.issuer() + "/mcp");
            OAuthSession session = new OAuthSession("wiki", URI.create(issuer.issuer() + "/mcp"),
                    new ClientCredentials(CLIENT_ID, CLIENT_SECRET, null, null, null, null), HttpClient.newHttpClient(),
                    Duration.ofSeconds(10), Clock.systemUTC(), uri -> {
                        throw new IllegalStateException("refused to connect to " + uri.getHost());
                    });
            assertThatThrownBy(session::authorizeUpFront).isInstanceOf(McpAuthException.class)
                    .hasMessageContaining("refused to connect to");
            assertThat(issuer.tokenRequests()).as("nothing reached the authorisation server").isEmpty();
        }
    }
}
