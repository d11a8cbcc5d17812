package dev.arkonis.ark.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.arkonis.ark.llm.chat.ChatProvider;
import dev.arkonis.ark.llm.mock.MockProvider;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmSetupTest {

    @Test
    void mockNeedsNothing() throws LlmException {
        assertThat(LlmSetup.fromEnv(Map.of("AGENT_PROVIDER", "mock"))).isInstanceOf(MockProvider.class);
        assertThat(LlmSetup.fromEnv(Map.of("AGENT_PROVIDER", "mock", "AGENT_MOCK_LATENCY_MS", "5")))
                .isInstanceOf(MockProvider.class);
    }

    @Test
    void missingOpenAiKeyIsReportedExactly() {
        LlmException e = catchThrowableOfType(LlmException.class,
                () -> LlmSetup.fromEnv(Map.of("AGENT_MODEL", "gpt-4o")));

        assertThat(e).hasMessage("OPENAI_API_KEY not set");
        assertThat(e.isPermanent()).isTrue();
    }

    @Test
    void missingAnthropicKeyIsReportedExactlyWhenDetectedFromTheModel() {
        LlmException e = catchThrowableOfType(LlmException.class,
                () -> LlmSetup.fromEnv(Map.of("AGENT_MODEL", "claude-sonnet-4-5", "OPENAI_API_KEY", "sk-x")));

        assertThat(e).hasMessage("ANTHROPIC_API_KEY not set");
        assertThat(e.isPermanent()).isTrue();
    }

    @Test
    void explicitProviderWinsOverDetection() throws LlmException {
        LlmProvider p = LlmSetup.fromEnv(Map.of("AGENT_PROVIDER", "anthropic", "AGENT_MODEL", "my-proxy-model",
                "ANTHROPIC_API_KEY", "k"));

        assertThat(first(p).providerName()).isEqualTo("anthropic");
    }

    @Test
    void openAiCompatibleServerNeedsNoKey() throws Exception {
        try (StubHttpServer server = new StubHttpServer()) {
            server.reply(StubHttpServer.Reply.json("""
                    {"id":"c","object":"chat.completion","created":1,"model":"llama3",
                     "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}"""));
            LlmProvider p = LlmSetup.fromEnv(Map.of("AGENT_MODEL", "llama3", "OPENAI_BASE_URL", server.url() + "/v1"));

            Completion c = p.complete(new CompletionRequest("llama3", null, "hello", null, 10, Instant.now().plusSeconds(10)));

            assertThat(c.text()).isEqualTo("hi");
            assertThat(server.received().get(0).header("Authorization")).isEqualTo("Bearer " + LlmSetup.NO_KEY_PLACEHOLDER);
        }
    }

    @Test
    void toolsFromTheEnvironmentReachTheProvider() throws LlmException {
        LlmProvider p = LlmSetup.fromEnv(Map.of("AGENT_MODEL", "gpt-4o", "OPENAI_API_KEY", "k",
                "AGENT_WEBHOOK_TOOLS", "[{\"name\":\"lookup\",\"url\":\"http://127.0.0.1:1/x\"}]"));

        assertThat(first(p).toolbox().tools()).extracting(t -> t.name()).containsExactly("lookup");
    }

    @Test
    void badProviderNameIsASetupError() {
        LlmException e = catchThrowableOfType(LlmException.class,
                () -> LlmSetup.fromEnv(Map.of("AGENT_PROVIDER", "mistral", "AGENT_MODEL", "x")));

        assertThat(e.getMessage()).startsWith("AGENT_PROVIDER: unknown provider 'mistral'");
    }

    @Test
    void azureNeedsItsKeyAndItsResourcesEndpointAndGeminiItsKey() throws LlmException {
        assertThat(catchThrowableOfType(LlmException.class, () -> LlmSetup.fromEnv(Map.of("AGENT_PROVIDER", "azure",
                "AGENT_MODEL", "gpt-4o-prod", "AZURE_OPENAI_API_KEY", "k")))).hasMessage("AZURE_OPENAI_ENDPOINT not set");
        assertThat(catchThrowableOfType(LlmException.class, () -> LlmSetup.fromEnv(Map.of("AGENT_PROVIDER", "azure",
                "AGENT_MODEL", "gpt-4o-prod", "AZURE_OPENAI_ENDPOINT", "https://r.openai.azure.com"))))
                .hasMessage("AZURE_OPENAI_API_KEY not set");
        assertThat(catchThrowableOfType(LlmException.class, () -> LlmSetup.fromEnv(Map.of("AGENT_PROVIDER", "gemini",
                "AGENT_MODEL", "gemini-2.5-flash", "OPENAI_API_KEY", "not-for-gemini"))))
                .hasMessage("GEMINI_API_KEY not set");
        assertThat(first(LlmSetup.fromEnv(Map.of("AGENT_PROVIDER", "gemini", "AGENT_MODEL", "gemini-2.5-flash",
                "GEMINI_API_KEY", "k"))).providerName()).isEqualTo("gemini");
    }

    /** The provider of the role's first model. */
    private static ChatProvider first(LlmProvider provider) {
        return (ChatProvider) ((ModelChain) provider).links().get(0).provider();
    }
}
