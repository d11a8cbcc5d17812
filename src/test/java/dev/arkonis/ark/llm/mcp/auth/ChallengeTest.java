package dev.arkonis.ark.llm.mcp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChallengeTest {

    @Test
    void theBearerChallengeNamesTheErrorScopesAndMetadata() {
        assertThat(Challenge.bearer(List.of("Bearer error=\"insufficient_scope\", scope=\"files:read  files:write\", "
                + "resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\", "
                + "error_description=\"needs \\\"write\\\", sorry\"")))
                .contains(new Challenge("insufficient_scope", List.of("files:read", "files:write"),
                        "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"));
    }

    @Test
    void theBearerOneIsFoundAmongOtherSchemesInOneHeaderOrSeveral() {
        assertThat(Challenge.bearer(List.of("Basic realm=\"x\", DPoP algs=\"ES256\", bearer resource_metadata=https://m/x")))
                .contains(new Challenge(null, List.of(), "https://m/x"));
        assertThat(Challenge.bearer(List.of("Basic dXNlcjpwYXNz==", "Bearer realm=\"mcp\"")))
                .contains(new Challenge(null, List.of(), null));
        assertThat(Challenge.bearer(List.of("Basic realm=\"x\""))).isEmpty();
        assertThat(Challenge.bearer(List.of())).isEmpty();
    }
}
