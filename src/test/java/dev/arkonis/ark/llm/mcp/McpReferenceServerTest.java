package dev.arkonis.ark.llm.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arkonis.ark.api.McpServerSpec;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.llm.LlmSetup;
import dev.arkonis.ark.llm.mock.MockProvider;
import dev.arkonis.ark.llm.tools.Tool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ark's client against a server on the MCP project's Python SDK (a peer nobody here wrote): a stream the server
 * cuts before its answer, tools that change while the agent runs, and requests for features an agent does not offer.
 */
class McpReferenceServerTest {
    private static PythonMcpServer server;
    private final McpConnector connector = new McpConnector(Duration.ofSeconds(30), Duration.ofSeconds(30),
            McpConnectorTest.LOOPBACK_ALLOWED);

    @BeforeAll
    static void start() throws Exception {
        server = PythonMcpServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private McpConnection connect() {
        List<McpConnection> connections = connector.connectAll(List.of(new McpServerSpec("py", server.url(), null, null)),
                Map.of());
        assertThat(connections).hasSize(1);
        return connections.get(0);
    }

    private static Tool tool(McpConnection connection, String name) {
        return connection.tools().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theAnswerOfAStreamTheServerCutIsReadFromTheResumedStream() throws Exception {
        try (McpConnection py = connect()) {
            assertThat(tool(py, "interrupted").call("{\"text\":\"hi\"}")).isEqualTo("after the break: hi");
        }
    }

    @Test
    void requestsForUserInputAndForSamplingAreDeclinedWithTheErrorsTheSpecGives() throws Exception {
        try (McpConnection py = connect()) {
            assertThat(tool(py, "ask_user").call("{}")).startsWith("refused -32602: ");
            assertThat(tool(py, "ask_model").call("{}")).isEqualTo("refused -32601: Method not found: sampling/createMessage");
        }
    }

    @Test
    void aToolTheServerAddsReachesTheAgentsNextModelCall() throws Exception {
        // the server is on loopback, which an agent reaches only through the egress allow list
        MockProvider mock = (MockProvider) LlmSetup.fromEnv(Map.of("AGENT_PROVIDER", "mock", "AGENT_MODEL", "m",
                "AGENT_MCP_SERVERS", "[{\"name\":\"py\",\"url\":\"" + server.url() + "\"}]",
                EgressPolicy.ALLOW, "127.0.0.0/8"));
        try {
            assertThat(mock.toolbox().tools()).extracting(Tool::name).contains("grow").doesNotContain("fresh");
            mock.complete(new CompletionRequest("m", null, "[mock:tool grow {}]", null, 8000, null));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(mock.toolbox().tools()).extracting(Tool::name).contains("fresh"));
            Completion c = mock.complete(new CompletionRequest("m", null, "[mock:tool fresh {}]", null, 8000, null));
            assertThat(c.text()).contains("[tool fresh] fresh from the server");
        } finally {
            mock.close();
        }
    }
}
