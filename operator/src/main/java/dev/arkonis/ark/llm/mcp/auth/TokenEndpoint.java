package dev.arkonis.ark.llm.mcp.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.arkonis.ark.api.McpClientCredentials.AuthMethod;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Asks an authorisation server for a token with the client credentials grant (RFC 6749 §4.4), for one resource
 * (RFC 8707), authenticating the client with client_secret_basic, client_secret_post or private_key_jwt (RFC 7523).
 */
final class TokenEndpoint {
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(1);

    private final OAuthHttp http;
    private final Clock clock;

    TokenEndpoint(OAuthHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    AccessToken request(ServerMetadata server, ClientCredentials client, List<String> scopes, String resource) {
        URI endpoint = URI.create(server.tokenEndpoint());
        if (!confidential(endpoint)) {
            throw new McpAuthException("refusing to send client credentials to " + endpoint
                    + " over plain HTTP: an authorization server must use https");
        }
        AuthMethod method = method(server, client);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (!scopes.isEmpty()) {
            form.put("scope", String.join(" ", scopes));
        }
        if (resource != null) {
            form.put("resource", resource);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        switch (method) {
            case CLIENT_SECRET_BASIC -> headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (OAuthHttp.encode(client.clientId()) + ":" + OAuthHttp.encode(secret(client)))
                            .getBytes(StandardCharsets.UTF_8)));
            case CLIENT_SECRET_POST -> {
                form.put("client_id", client.clientId());
                form.put("client_secret", secret(client));
            }
            case PRIVATE_KEY_JWT -> {
                form.put("client_id", client.clientId());
                form.put("client_assertion_type", JWT_BEARER);
                form.put("client_assertion", assertion(server, client));
            }
        }
        Instant sent = clock.instant();
        OAuthHttp.Response response = http.postForm(endpoint, form, headers);
        JsonNode body = response.json();
        if (response.status() != 200 || body == null || !body.hasNonNull("access_token")) {
            String error = body == null ? null : body.path("error").asText(null);
            if (error != null) {
                String description = body.path("error_description").asText("");
                throw new McpAuthException("the authorization server " + server.issuer() + " refused the token request ("
                        + method.wireName() + "): " + error + (description.isBlank() ? "" : " (" + description + ")"));
            }
            throw new McpAuthException("the token endpoint " + endpoint + " answered HTTP " + response.status()
                    + " without a token");
        }
        String type = body.path("token_type").asText("");
        if (!"bearer".equals(type.toLowerCase(Locale.ROOT))) {
            throw new McpAuthException("the authorization server " + server.issuer() + " issued a \"" + type
                    + "\" token; ark sends Bearer tokens only");
        }
        Instant expires = body.path("expires_in").canConvertToLong() && body.path("expires_in").asLong() > 0
                ? sent.plusSeconds(body.path("expires_in").asLong()) : null;
        List<String> granted = body.hasNonNull("scope") ? Arrays.asList(body.path("scope").asText().trim().split("\\s+"))
                : scopes;
        return new AccessToken(body.path("access_token").asText(), sent, expires, granted);
    }

    /** The configured method, else the first the server supports of private_key_jwt (with a key), basic, post. */
    static AuthMethod method(ServerMetadata server, ClientCredentials client) {
        if (client.method() != null) {
            return client.method();
        }
        if (client.privateKey() != null) {
            return AuthMethod.PRIVATE_KEY_JWT;
        }
        for (AuthMethod m : List.of(AuthMethod.CLIENT_SECRET_BASIC, AuthMethod.CLIENT_SECRET_POST)) {
            if (server.supports(m.wireName())) {
                return m;
            }
        }
        throw new McpAuthException("the authorization server " + server.issuer()
                + " supports none of client_secret_basic and client_secret_post for a client secret (it names "
                + server.authMethods() + ")");
    }

    /** OAuth 2.1 §1.5: credentials go over TLS; plain HTTP only to this machine (development, tests). */
    static boolean confidential(URI endpoint) {
        if ("https".equalsIgnoreCase(endpoint.getScheme())) {
            return true;
        }
        String host = endpoint.getHost();
        if (host == null) {
            return false;
        }
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: never resolved here, so DNS cannot make it look local
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String secret(ClientCredentials client) {
        if (client.secret() == null) {
            throw new McpAuthException("client_secret_basic and client_secret_post need clientSecretRef");
        }
        return client.secret();
    }

    /** RFC 7523 §3 with RFC 7523bis: iss and sub the client, aud the issuer alone, short-lived, never reused. */
    private String assertion(ServerMetadata server, ClientCredentials client) {
        PrivateKey key = client.privateKey();
        if (key == null) {
            throw new McpAuthException("private_key_jwt needs privateKeyRef");
        }
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(client.clientId())
                .subject(client.clientId())
                .audience(server.issuer())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
                .build();
        try {
            JWSAlgorithm algorithm = algorithm(key, server.signingAlgorithms());
            JWSSigner signer = key instanceof ECPrivateKey ec ? new ECDSASigner(ec) : new RSASSASigner(key);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new McpAuthException("signing the client assertion failed: " + e.getMessage());
        }
    }

    /** An EC key signs with its curve's algorithm; an RSA key with RS256, or PS256 where the server takes only that. */
    static JWSAlgorithm algorithm(PrivateKey key, List<String> accepted) throws JOSEException {
        JWSAlgorithm algorithm;
        if (key instanceof ECPrivateKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null) {
                throw new McpAuthException("the private key's elliptic curve is not one of P-256, P-384, P-521");
            }
            algorithm = ECDSA.resolveAlgorithm(curve);
        } else {
            algorithm = accepted != null && !accepted.contains("RS256") && accepted.contains("PS256")
                    ? JWSAlgorithm.PS256 : JWSAlgorithm.RS256;
        }
        if (accepted != null && !accepted.isEmpty() && !accepted.contains(algorithm.getName())) {
            throw new McpAuthException("the authorization server takes client assertions signed with " + accepted
                    + ", not " + algorithm.getName() + " (the private key's)");
        }
        return algorithm;
    }
}
