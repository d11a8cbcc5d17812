package dev.arkonis.ark.llm.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.llm.mcp.ConformanceSuite.Check;
import dev.arkonis.ark.llm.mcp.ConformanceSuite.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ark's MCP client against the MCP project's own client checks ({@code @modelcontextprotocol/conformance}): its
 * servers, its authorisation servers and its verdicts, not ours. The scenarios that need a user in a browser
 * (authorisation code, dynamic registration) do not apply to an agent; of those, what an unattended client does
 * too (discovery, resource, token endpoint authentication) is held here.
 */
class McpConformanceTest {

    @ParameterizedTest
    @ValueSource(strings = {"initialize", "tools_call", "auth/client-credentials-basic", "auth/client-credentials-jwt",
            "auth/pre-registration"})
    void passes(String scenario) throws Exception {
        Result result = ConformanceSuite.run(scenario);

        assertThat(result.withStatus("FAILURE")).as(result.log()).isEmpty();
        assertThat(result.withStatus("WARNING")).as(result.log()).isEmpty();
        assertThat(result.withStatus("SUCCESS")).as(result.log()).isNotEmpty();
        assertThat(result.exitCode()).as(result.log()).isZero();
    }

    @Test
    void aStreamClosedBeforeTheAnswerIsResumedAfterTheServersRetryWithLastEventId() throws Exception {
        Result result = ConformanceSuite.run("sse-retry");

        assertThat(result.check("client-sse-graceful-reconnect").status()).as(result.log()).isEqualTo("SUCCESS");
        assertThat(result.check("client-sse-last-event-id").status()).isEqualTo("SUCCESS");
        assertThat(result.check("client-sse-last-event-id").details().path("lastEventIds").toString())
                .isEqualTo("[\"event-2\"]");
        // SUCCESS within 500 ms -50/+200; WARNING is up to 1 s late, which a loaded machine may be; early is FAILURE
        assertThat(result.check("client-sse-retry-timing").status()).as(result.check("client-sse-retry-timing").toString())
                .isIn("SUCCESS", "WARNING");
        assertThat(result.withStatus("FAILURE")).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth/token-endpoint-auth-basic", "auth/token-endpoint-auth-post"})
    void theTokenRequestAuthenticatesAsTheServerSupportsAndNamesTheResource(String scenario) throws Exception {
        Result result = ConformanceSuite.run(scenario);

        for (String id : new String[] {"prm-pathbased-requested", "authorization-server-metadata",
                "token-endpoint-auth-method", "resource-parameter-in-token", "resource-parameter-valid-uri",
                "valid-bearer-token"}) {
            assertThat(result.check(id).status()).as(id + "\n" + result.log()).isEqualTo("SUCCESS");
        }
        // an agent has no browser: the authorization request of the code flow is the one check it cannot pass
        assertThat(result.withStatus("FAILURE")).extracting(Check::id).containsExactly("resource-parameter-in-authorization");
        assertThat(result.exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth/metadata-default", "auth/metadata-var1", "auth/metadata-var2", "auth/metadata-var3",
            "auth/2025-03-26-oauth-metadata-backcompat"})
    void metadataIsLookedUpWhereTheSpecSaysAndASecretGoesToNoServerThatTakesOnlyPublicClients(String scenario)
            throws Exception {
        Result result = ConformanceSuite.run(scenario);

        assertThat(result.check("authorization-server-metadata").status()).as(result.log()).isEqualTo("SUCCESS");
        if (scenario.equals("auth/metadata-default") || scenario.equals("auth/metadata-var1")) {
            assertThat(result.check("prm-pathbased-requested").status()).isEqualTo("SUCCESS");
        }
        // traps for a client that looks at the root before the path, or at the wrong path
        assertThat(result.has("prm-priority-order")).as(result.log()).isFalse();
        assertThat(result.has("authorization-server-metadata-wrong-path")).as(result.log()).isFalse();
        // these servers register public clients for the code flow: ark sends its secret nowhere and says why
        assertThat(result.check("token-request").description()).startsWith("Expected Check Missing");
        assertThat(result.log()).contains("supports none of client_secret_basic and client_secret_post");
        assertThat(result.withStatus("FAILURE")).extracting(Check::id)
                .containsOnly("client-registration", "authorization-request", "token-request");
    }

    @Test
    void metadataNamingAnotherResourceStopsTheClientBeforeAnyTokenRequest() throws Exception {
        Result result = ConformanceSuite.run("auth/resource-mismatch");

        assertThat(result.withStatus("FAILURE")).as(result.log()).isEmpty();
        assertThat(result.has("token-request")).isFalse();
        assertThat(result.log()).contains("failed to connect to conformance: the protected resource metadata at")
                .contains("is for https://evil.example.com/mcp, not for http://localhost:");
    }

    @Test
    void anElicitationIsDeclinedWithTheErrorTheSpecGivesForAnUndeclaredMode() throws Exception {
        Result result = ConformanceSuite.run("elicitation-sep1034-client-defaults");

        // the scenario wants a client that fills in forms; an agent declares no elicitation and refuses with -32602
        assertThat(result.check("client-elicitation-sep1034-general").error()).as(result.log())
                .contains("MCP error -32602");
    }
}
