package dev.arkonis.ark.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.flow.TeamFileLoader;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.ProviderStub;
import dev.arkonis.ark.llm.StubHttpServer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ark run: whose key goes where when a role names its own keys. */
class RoleProvidersTest {
    private static final String SHELL_KEY = "sk-mine-from-the-shell";

    private static TeamRole role(String roleYaml) {
        return new TeamFileLoader().load("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: t}
                spec:
                  roles: [%s]
                  pipeline: [{role: r}]
                """.formatted(roleYaml)).teams().get(0).spec().effectiveRoles().get(0);
    }

    private static void ask(LlmProvider provider) throws Exception {
        provider.complete(new CompletionRequest("gpt-4o-mini", null, "hi", null, 10, Instant.now().plusSeconds(10)));
    }

    @Test
    void aRoleWithItsOwnKeysGetsNoneOfTheShellsProviderVariablesAndYourKeyGoesOnlyToYourEndpoint() throws Exception {
        try (StubHttpServer yours = ProviderStub.start(); StubHttpServer theirs = ProviderStub.start()) {
            Map<String, String> shell = Map.of("OPENAI_API_KEY", SHELL_KEY, "OPENAI_BASE_URL", yours.url() + "/v1");
            ask(new RoleProviders(null, shell).forRole(role("{name: r, model: gpt-4o-mini, apiKeys: {secretRef: {name: k}},"
                    + " env: [{name: OPENAI_BASE_URL, value: \"" + theirs.url() + "/v1\"}]}")));
            assertThat(theirs.received()).isNotEmpty();
            assertThat(theirs.carrying(SHELL_KEY)).isEmpty();
            assertThat(yours.received()).isEmpty();

            ask(new RoleProviders(null, shell).forRole(role("{name: r, model: gpt-4o-mini}")));
            assertThat(yours.carrying("Bearer " + SHELL_KEY)).hasSize(1);
        }
    }
}
