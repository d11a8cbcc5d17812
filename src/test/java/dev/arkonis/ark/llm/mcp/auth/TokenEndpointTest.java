package dev.arkonis.ark.llm.mcp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.arkonis.ark.api.McpClientCredentials.AuthMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TokenEndpointTest {
    private static ServerMetadata server(List<String> methods, List<String> algorithms) {
        return new ServerMetadata("https://login.example.com", "https://login.example.com/token", methods, algorithms, null);
    }

    private static ClientCredentials secret(AuthMethod method) {
        return new ClientCredentials("ark", "s", null, null, method, null);
    }

    @Test
    void theMethodIsTheConfiguredOneElseTheFirstTheServerSupports() {
        assertThat(TokenEndpoint.method(server(null, null), secret(null))).isEqualTo(AuthMethod.CLIENT_SECRET_BASIC);
        assertThat(TokenEndpoint.method(server(List.of("client_secret_post", "client_secret_basic"), null), secret(null)))
                .isEqualTo(AuthMethod.CLIENT_SECRET_BASIC);
        assertThat(TokenEndpoint.method(server(List.of("private_key_jwt", "client_secret_post"), null), secret(null)))
                .isEqualTo(AuthMethod.CLIENT_SECRET_POST);
        assertThat(TokenEndpoint.method(server(List.of("none"), null), secret(AuthMethod.CLIENT_SECRET_POST)))
                .isEqualTo(AuthMethod.CLIENT_SECRET_POST);
        assertThatThrownBy(() -> TokenEndpoint.method(server(List.of("none"), null), secret(null)))
                .hasMessageContaining("supports none of client_secret_basic and client_secret_post");
    }

    @Test
    void credentialsTravelOverTlsOrStayOnThisMachine() {
        assertThat(TokenEndpoint.confidential(URI.create("https://login.example.com/token"))).isTrue();
        assertThat(TokenEndpoint.confidential(URI.create("http://localhost:8080/token"))).isTrue();
        assertThat(TokenEndpoint.confidential(URI.create("http://127.0.0.9/token"))).isTrue();
        assertThat(TokenEndpoint.confidential(URI.create("http://[::1]:9000/token"))).isTrue();
        assertThat(TokenEndpoint.confidential(URI.create("http://login.example.com/token"))).isFalse();
        assertThat(TokenEndpoint.confidential(URI.create("http://10.0.0.5/token"))).isFalse();
        assertThat(TokenEndpoint.confidential(URI.create("http://localhost.evil.example/token"))).isFalse();
    }

    @Test
    void aPlainHttpTokenEndpointElsewhereGetsNoRequest() {
        TokenEndpoint endpoint = new TokenEndpoint(new OAuthHttp(HttpClient.newHttpClient(), Duration.ofSeconds(1), uri -> { }),
                Clock.systemUTC());
        ServerMetadata plain = new ServerMetadata("http://login.example.com", "http://login.example.com/token", null, null, null);

        assertThatThrownBy(() -> endpoint.request(plain, secret(null), List.of(), "https://mcp.example.com/mcp"))
                .isInstanceOf(McpAuthException.class)
                .hasMessage("refusing to send client credentials to http://login.example.com/token over plain HTTP: "
                        + "an authorization server must use https");
    }

    @Test
    void anRsaKeySignsAShortLivedAssertionForTheIssuerAlone() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        AtomicReference<String> assertion = new AtomicReference<>();
        try (AuthorizationServerStub stub = new AuthorizationServerStub()) {
            Instant now = Instant.parse("2026-03-01T10:00:00Z");
            TokenEndpoint endpoint = new TokenEndpoint(new OAuthHttp(HttpClient.newHttpClient(), Duration.ofSeconds(10), uri -> { }),
                    Clock.fixed(now, java.time.ZoneOffset.UTC));
            ServerMetadata metadata = new ServerMetadata(stub.issuer(), stub.issuer() + "/token", List.of("private_key_jwt"),
                    List.of("PS256"), null);
            ClientCredentials client = new ClientCredentials("ark-jira", null, pair.getPrivate(), null, null, null);
            assertThatThrownBy(() -> endpoint.request(metadata, client, List.of(), "https://jira.example.com/mcp"))
                    .hasMessageContaining("invalid_client"); // the stub checks secrets only: the request is what counts
            assertion.set(stub.tokenRequests().get(0).form().get("client_assertion"));
            assertThat(stub.tokenRequests().get(0).form())
                    .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                    .containsEntry("client_id", "ark-jira").doesNotContainKey("client_secret");

            SignedJWT jwt = SignedJWT.parse(assertion.get());
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
            assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) pair.getPublic()))).isTrue();
            assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("ark-jira");
            assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("ark-jira");
            assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(stub.issuer());
            assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotBlank();
            assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(now.plusSeconds(60));
        }
    }

    @Test
    void aKeyTheServerWillNotTakeIsSaidSoBeforeAnyRequest() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(384);
        assertThat(TokenEndpoint.algorithm(generator.generateKeyPair().getPrivate(), null)).isEqualTo(JWSAlgorithm.ES384);
        assertThatThrownBy(() -> TokenEndpoint.algorithm(generator.generateKeyPair().getPrivate(), List.of("ES256")))
                .hasMessage("the authorization server takes client assertions signed with [ES256], not ES384 (the private key's)");
    }

    @Test
    void aTokenIsDueATenthOfItsLifetimeBeforeItLapsesAtMostAMinute() {
        Instant issued = Instant.parse("2026-01-01T00:00:00Z");
        AccessToken shortLived = new AccessToken("t", issued, issued.plusSeconds(100), List.of());
        assertThat(shortLived.dueForRenewal(issued.plusSeconds(89))).isFalse();
        assertThat(shortLived.dueForRenewal(issued.plusSeconds(90))).isTrue();
        AccessToken hour = new AccessToken("t", issued, issued.plusSeconds(3600), List.of());
        assertThat(hour.dueForRenewal(issued.plusSeconds(3539))).isFalse();
        assertThat(hour.dueForRenewal(issued.plusSeconds(3540))).isTrue();
        assertThat(new AccessToken("t", issued, null, List.of()).dueForRenewal(issued.plus(Duration.ofDays(9)))).isFalse();
        assertThat(hour.toString()).doesNotContain("t,").doesNotContain("=t");
    }
}
