package dev.arkonis.ark.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.LlmSetup;
import dev.arkonis.ark.llm.tools.Tool;
import dev.arkonis.ark.llm.tools.Toolbox;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The openai and anthropic providers through a real gateway, LiteLLM's proxy (its models answer with LiteLLM's mock
 * responses), configured as users configure an agent: the gateway's URL in {@code OPENAI_BASE_URL} /
 * {@code ANTHROPIC_BASE_URL} and the gateway's key.
 */
class LiteLlmGatewayTest {
    private static LiteLlmProxy proxy;

    @BeforeAll
    static void startProxy() throws Exception {
        proxy = LiteLlmProxy.start();
    }

    @AfterAll
    static void stopProxy() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static LlmProvider agentProvider(String provider, String model, String key) throws LlmException {
        Map<String, String> env = provider.equals("openai")
                ? Map.of("AGENT_PROVIDER", "openai", "AGENT_MODEL", model,
                        "OPENAI_BASE_URL", proxy.url() + "/v1", "OPENAI_API_KEY", key)
                : Map.of("AGENT_PROVIDER", "anthropic", "AGENT_MODEL", model,
                        "ANTHROPIC_BASE_URL", proxy.url(), "ANTHROPIC_API_KEY", key);
        return LlmSetup.fromEnv(env);
    }

    private static CompletionRequest request(String model) {
        return new CompletionRequest(model, "You are terse.", "Say hello", null, 200, Instant.now().plusSeconds(60));
    }

    @Test
    void theOpenAiProviderIsAnsweredThroughTheGatewayWithItsUsage() throws Exception {
        LlmProvider provider = agentProvider("openai", LiteLlmProxy.OPENAI_MODEL, LiteLlmProxy.KEY);
        provider.verify();

        Completion answer = provider.complete(request(LiteLlmProxy.OPENAI_MODEL));

        assertThat(answer.text()).isEqualTo(LiteLlmProxy.OPENAI_ANSWER);
        assertThat(answer.usage().inputTokens()).isPositive();
        assertThat(answer.usage().outputTokens()).isPositive();
    }

    @Test
    void theAnthropicProviderIsAnsweredThroughTheGatewaysMessagesEndpointWithItsCacheMarks() throws Exception {
        LlmProvider provider = agentProvider("anthropic", LiteLlmProxy.ANTHROPIC_MODEL, LiteLlmProxy.KEY);
        provider.verify();

        // the system prompt goes as a cacheable block: the gateway takes the request as Anthropic's API does
        Completion answer = provider.complete(request(LiteLlmProxy.ANTHROPIC_MODEL));

        assertThat(answer.text()).isEqualTo(LiteLlmProxy.ANTHROPIC_ANSWER);
        assertThat(answer.usage().inputTokens()).isPositive();
        assertThat(answer.usage().outputTokens()).isPositive();
    }

    @Test
    void aToolCallFromTheGatewayRunsTheToolWithItsArguments() throws Exception {
        List<String> arguments = new CopyOnWriteArrayList<>();
        Tool weather = new Tool() {
            public String name() {
                return "weather";
            }

            public String description() {
                return "Current weather of a city";
            }

            public String parametersSchema() {
                return "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
            }

            public String call(String argumentsJson) {
                arguments.add(argumentsJson);
                return "sunny";
            }
        };
        ChatProvider provider = new ChatProvider(new OpenAiApi(proxy.url() + "/v1", LiteLlmProxy.KEY),
                LiteLlmProxy.TOOL_CALLER, new Toolbox(List.of(weather), "", List.of()),
                ChatSettings.DEFAULT.withMaxToolTurns(2));

        // LiteLLM's mock asks for the tool on every turn, so the loop ends at its limit after running it each time
        LlmException stopped = catchThrowableOfType(LlmException.class,
                () -> provider.complete(request(LiteLlmProxy.TOOL_CALLER)));

        assertThat(stopped.getMessage()).contains("tool-loop limit reached");
        assertThat(arguments).hasSize(2).allSatisfy(a -> assertThat(a).contains("\"city\"").contains("Paris"));
    }

    @Test
    void aKeyTheGatewayDoesNotKnowFailsAtOnceAsAnAuthenticationFailure() throws Exception {
        for (String provider : List.of("openai", "anthropic")) {
            String model = provider.equals("openai") ? LiteLlmProxy.OPENAI_MODEL : LiteLlmProxy.ANTHROPIC_MODEL;
            LlmException refused = catchThrowableOfType(LlmException.class,
                    () -> agentProvider(provider, model, "sk-not-the-gateways").complete(request(model)));

            assertThat(refused.isPermanent()).as(provider).isTrue();
            assertThat(refused.getMessage()).as(provider).contains(provider + ": authentication failed (401)")
                    .doesNotContain("sk-not-the-gateways");
        }
    }
}
