package dev.arkonis.ark.llm.mcp.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an MCP server's tokens come from, found as the MCP authorisation spec orders it: the protected resource
 * metadata (RFC 9728) named by the server's challenge, else at its well-known URLs; then the authorisation server's
 * metadata, RFC 8414 before OpenID Connect discovery.
 */
final class Discovery {
    private final OAuthHttp http;

    Discovery(OAuthHttp http) {
        this.http = http;
    }

    /** The server's resource metadata, from the URL its challenge names or else the well-known URLs; empty when none. */
    Optional<ResourceMetadata> resource(URI server, String hinted) {
        List<URI> candidates = hinted != null ? List.of(server.resolve(hinted)) : resourceMetadataUrls(server);
        for (URI url : candidates) {
            OAuthHttp.Response response = http.get(url);
            if (response.ok()) {
                ResourceMetadata metadata = read(response, ResourceMetadata.class, url);
                if (metadata.resource() == null || !covers(metadata.resource(), server)) {
                    throw new McpAuthException("the protected resource metadata at " + url + " is for "
                            + metadata.resource() + ", not for " + canonical(server));
                }
                return Optional.of(metadata);
            }
        }
        return Optional.empty();
    }

    /**
     * The authorisation server's metadata; empty when it publishes none (a server of the 2025-03-26 revision).
     *
     * @param named whether {@code issuer} is an issuer identifier the metadata must repeat (RFC 8414 §3.3), rather
     *              than the 2025-03-26 revision's "authorization base URL", which is just where to look
     */
    Optional<ServerMetadata> server(String issuer, boolean named) {
        URI issuerUri = URI.create(issuer);
        for (URI url : serverMetadataUrls(issuerUri)) {
            OAuthHttp.Response response = http.get(url);
            if (response.ok()) {
                ServerMetadata metadata = read(response, ServerMetadata.class, url);
                if (named && !sameIssuer(metadata.issuer(), issuer)) {
                    throw new McpAuthException("the authorization server metadata at " + url + " is for issuer "
                            + metadata.issuer() + ", not " + issuer);
                }
                if (metadata.issuer() == null) {
                    metadata = new ServerMetadata(issuer, metadata.tokenEndpoint(), metadata.authMethods(),
                            metadata.signingAlgorithms(), metadata.grantTypes());
                }
                if (metadata.tokenEndpoint() == null) {
                    throw new McpAuthException("the authorization server metadata at " + url + " has no token_endpoint");
                }
                return Optional.of(metadata);
            }
        }
        return Optional.empty();
    }

    /** RFC 9728 §3.1: the well-known suffix inserted before the server's path, then at the root. */
    static List<URI> resourceMetadataUrls(URI server) {
        List<URI> urls = new ArrayList<>();
        String path = trimSlash(server.getRawPath());
        if (!path.isEmpty()) {
            urls.add(origin(server).resolve("/.well-known/oauth-protected-resource" + path));
        }
        urls.add(origin(server).resolve("/.well-known/oauth-protected-resource"));
        return urls;
    }

    /**
     * MCP authorisation (2025-11-25), "Authorization Server Metadata Discovery": with a path, RFC 8414 path insertion,
     * OpenID path insertion, OpenID path appending; without, RFC 8414 then OpenID at the root.
     */
    static List<URI> serverMetadataUrls(URI issuer) {
        String path = trimSlash(issuer.getRawPath());
        URI origin = origin(issuer);
        if (path.isEmpty()) {
            return List.of(origin.resolve("/.well-known/oauth-authorization-server"),
                    origin.resolve("/.well-known/openid-configuration"));
        }
        return List.of(origin.resolve("/.well-known/oauth-authorization-server" + path),
                origin.resolve("/.well-known/openid-configuration" + path),
                origin.resolve(path + "/.well-known/openid-configuration"));
    }

    /**
     * Whether metadata for {@code resource} may be used for the server at {@code server}: the same origin, and the
     * server's path within the resource's (RFC 9728 §7.3 forbids using one resource's metadata for another).
     */
    static boolean covers(String resource, URI server) {
        URI r;
        try {
            r = URI.create(resource);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (r.getScheme() == null || r.getHost() == null || !origin(r).equals(origin(server))) {
            return false;
        }
        String resourcePath = trimSlash(r.getRawPath());
        String serverPath = trimSlash(server.getRawPath());
        return resourcePath.isEmpty() || serverPath.equals(resourcePath) || serverPath.startsWith(resourcePath + "/");
    }

    /** The server's URL as an RFC 8707 resource: lower-case scheme and host, no fragment. */
    static String canonical(URI server) {
        String path = server.getRawPath() == null ? "" : server.getRawPath();
        String query = server.getRawQuery() == null ? "" : "?" + server.getRawQuery();
        return origin(server) + path + query;
    }

    static URI origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        return URI.create(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
    }

    private static boolean sameIssuer(String found, String expected) {
        return found != null && trimSlash(found).equals(trimSlash(expected));
    }

    private static String trimSlash(String s) {
        if (s == null) {
            return "";
        }
        String t = s;
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static <T> T read(OAuthHttp.Response response, Class<T> type, URI url) {
        try {
            return OAuthHttp.JSON.treeToValue(response.json(), type);
        } catch (JsonProcessingException e) {
            throw new McpAuthException(url + " is not valid metadata: " + e.getOriginalMessage());
        }
    }
}
