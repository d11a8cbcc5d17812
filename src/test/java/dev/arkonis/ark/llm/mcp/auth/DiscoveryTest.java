package dev.arkonis.ark.llm.mcp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class DiscoveryTest {

    @Test
    void resourceMetadataIsLookedForUnderTheServersPathThenAtTheRoot() {
        assertThat(Discovery.resourceMetadataUrls(URI.create("https://mcp.example.com/tenant/mcp"))).containsExactly(
                URI.create("https://mcp.example.com/.well-known/oauth-protected-resource/tenant/mcp"),
                URI.create("https://mcp.example.com/.well-known/oauth-protected-resource"));
        assertThat(Discovery.resourceMetadataUrls(URI.create("https://mcp.example.com/"))).containsExactly(
                URI.create("https://mcp.example.com/.well-known/oauth-protected-resource"));
    }

    @Test
    void serverMetadataIsLookedForAsTheMcpSpecOrdersRfc8414AndOpenIdDiscovery() {
        assertThat(Discovery.serverMetadataUrls(URI.create("https://login.example.com/realms/corp/"))).containsExactly(
                URI.create("https://login.example.com/.well-known/oauth-authorization-server/realms/corp"),
                URI.create("https://login.example.com/.well-known/openid-configuration/realms/corp"),
                URI.create("https://login.example.com/realms/corp/.well-known/openid-configuration"));
        assertThat(Discovery.serverMetadataUrls(URI.create("https://login.example.com"))).containsExactly(
                URI.create("https://login.example.com/.well-known/oauth-authorization-server"),
                URI.create("https://login.example.com/.well-known/openid-configuration"));
    }

    @Test
    void metadataServesTheServerOnlyWhenItsResourceContainsIt() {
        URI server = URI.create("https://MCP.example.com:443/tenant/mcp");
        assertThat(Discovery.covers("https://mcp.example.com/tenant/mcp", server)).isTrue();
        assertThat(Discovery.covers("https://mcp.example.com/tenant/", server)).isTrue();
        assertThat(Discovery.covers("https://mcp.example.com", server)).isTrue();
        assertThat(Discovery.covers("https://mcp.example.com/ten", server)).as("a path prefix is not a parent").isFalse();
        assertThat(Discovery.covers("https://mcp.example.com/other/mcp", server)).isFalse();
        assertThat(Discovery.covers("http://mcp.example.com/tenant/mcp", server)).isFalse();
        assertThat(Discovery.covers("https://evil.example.com/tenant/mcp", server)).isFalse();
        assertThat(Discovery.covers("not a url", server)).isFalse();
        assertThat(Discovery.canonical(URI.create("HTTPS://MCP.Example.com/tenant/mcp#frag")))
                .isEqualTo("https://mcp.example.com/tenant/mcp");
    }
}
