package dev.arkonis.ark.llm.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.llm.LlmSetup;
import dev.arkonis.ark.llm.StubHttpServer;
import dev.arkonis.ark.llm.mock.MockProvider;
import dev.arkonis.ark.llm.tools.Tool;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code AGENT_PROVIDER=mock} wires tools exactly as a real provider does: it connects to the role's MCP servers (our
 * SDK server and the MCP project's own server-everything), skips an unreachable one with the WARN line of
 * docs/troubleshooting.md, adds the HTTP tools, and calls them when the prompt asks.
 */
class MockProviderToolsTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger mcpLogger = (Logger) LoggerFactory.getLogger("mcp");

    @BeforeEach
    void captureLog() {
        log.start();
        mcpLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        mcpLogger.detachAppender(log);
    }

    @Test
    void theMockConnectsListsAndCallsMcpAndHttpToolsAndSkipsAnUnreachableServer() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (TestMcpServer ours = TestMcpServer.streamable();
             ServerEverything everything = ServerEverything.start();
             StubHttpServer http = new StubHttpServer().reply(StubHttpServer.Reply.json("{\"temp\":21}"))) {
            Map<String, String> env = Map.of(
                    EgressPolicy.ALLOW, "127.0.0.0/8",
                    "AGENT_PROVIDER", "mock",
                    "AGENT_MODEL", "gpt-4o-mini",
                    "AGENT_MCP_SERVERS", """
                            [{"name":"web-search","url":"http://127.0.0.1:%d/mcp"},
                             {"name":"ours","url":"%s","guidance":"Echo when asked."},
                             {"name":"everything","url":"%s"}]""".formatted(closedPort, ours.url("/mcp"), everything.url()),
                    "AGENT_WEBHOOK_TOOLS", """
                            [{"name":"weather","url":"%s/weather","method":"POST"}]""".formatted(http.url()));

            MockProvider mock = (MockProvider) LlmSetup.fromEnv(env);
            try {
                assertThat(log.list).anySatisfy(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.WARN);
                    assertThat(e.getFormattedMessage()).isEqualTo("failed to connect to web-search: connection refused");
                });
                assertThat(mock.toolbox().tools()).extracting(Tool::name)
                        .contains("weather", "echo", "get-sum", "get-tiny-image");
                assertThat(mock.toolbox().guidance()).isEqualTo("Tools of ours: Echo when asked.");

                Completion c = mock.complete(new CompletionRequest("gpt-4o-mini", null,
                        "Check. [mock:tool echo {\"text\":\"hi\"}] [mock:tool get-sum {\"a\":2,\"b\":3}] "
                                + "[mock:tool weather {\"city\":\"Oslo\"}]", null, 8000, null));

                assertThat(c.text()).contains("[tool echo] echo: hi")
                        .contains("[tool get-sum] The sum of 2 and 3 is 5.")
                        .contains("[tool weather] {\"temp\":21}");
                assertThat(http.received()).singleElement()
                        .satisfies(r -> assertThat(r.body()).isEqualTo("{\"city\":\"Oslo\"}"));
                assertThat(c.calls()).hasSize(4);
            } finally {
                mock.close();
            }
        }
    }
}
