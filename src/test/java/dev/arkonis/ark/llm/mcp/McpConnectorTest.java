package dev.arkonis.ark.llm.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.arkonis.ark.api.McpHeader;
import dev.arkonis.ark.api.McpServerSpec;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.tools.Tool;
import dev.arkonis.ark.llm.tools.ToolException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class McpConnectorTest {
    private static final String SECRET = "secret-header-value-42";

    /** The test servers are on loopback, which only the allow list opens. */
    static final EgressPolicy LOOPBACK_ALLOWED = EgressPolicy.forCluster(Map.of(EgressPolicy.ALLOW, "127.0.0.0/8"));

    private final McpConnector connector = new McpConnector(Duration.ofSeconds(5), Duration.ofSeconds(10),
            LOOPBACK_ALLOWED);
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

    private static McpServerSpec spec(String name, String url, String guidance) {
        return new McpServerSpec(name, url, List.of(new McpHeader("X-Api-Key", SECRET, null)), guidance);
    }

    @Test
    void streamableServerToolsAreListedAndCalledWithTheHeaders() throws Exception {
        try (TestMcpServer server = TestMcpServer.streamable()) {
            List<McpConnection> connections = connector.connectAll(
                    List.of(spec("search", server.url("/mcp"), "Use echo to repeat things.")), Map.of());

            assertThat(connections).singleElement().satisfies(c -> {
                assertThat(c.name()).isEqualTo("search");
                assertThat(c.guidance()).isEqualTo("Use echo to repeat things.");
            });
            McpConnection connection = connections.get(0);
            Tool echo = connection.tools().get(0);
            assertThat(echo.name()).isEqualTo("echo");
            assertThat(echo.description()).isEqualTo("Repeats the text");
            assertThat(echo.parametersSchema()).contains("\"text\"").contains("\"required\"");
            assertThat(echo.call("{\"text\":\"hello\"}")).isEqualTo("echo: hello");
            assertThatThrownBy(() -> echo.call("{\"text\":\"fail\"}"))
                    .isInstanceOf(ToolException.class).hasMessage("echo refused");
            assertThat(server.apiKeyHeaders).isNotEmpty().allMatch(SECRET::equals);
            connection.close();
        }
    }

    @Test
    void sseServerWorksWhenTheUrlEndsInSse() throws Exception {
        try (TestMcpServer server = TestMcpServer.sse()) {
            List<McpConnection> connections = connector.connectAll(List.of(spec("legacy", server.url("/sse"), null)), Map.of());

            assertThat(connections).hasSize(1);
            assertThat(connections.get(0).tools().get(0).call("{\"text\":\"over sse\"}")).isEqualTo("echo: over sse");
            assertThat(server.apiKeyHeaders).isNotEmpty().allMatch(SECRET::equals);
            connections.get(0).close();
        }
    }

    @Test
    void unreachableServerIsLoggedAndSkippedWhileTheOtherWorks() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        try (TestMcpServer server = TestMcpServer.streamable()) {
            List<McpConnection> connections = connector.connectAll(List.of(
                    spec("web-search", "http://127.0.0.1:" + freePort + "/mcp", null),
                    spec("good", server.url("/mcp"), null)), Map.of());

            assertThat(connections).extracting(McpConnection::name).containsExactly("good");
            assertThat(log.list).anySatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getLoggerName()).isEqualTo("mcp");
                assertThat(e.getFormattedMessage()).isEqualTo("failed to connect to web-search: connection refused");
            });
            assertThat(log.list).noneMatch(e -> e.getFormattedMessage().contains(SECRET));
            connections.forEach(McpConnection::close);
        }
    }

    @Test
    void aServerOnLoopbackOrAtTheMetadataAddressIsRefusedUnlessAllowed() throws Exception {
        McpConnector guarded = new McpConnector(Duration.ofSeconds(5), Duration.ofSeconds(10),
                EgressPolicy.forCluster(Map.of()));
        try (TestMcpServer server = TestMcpServer.streamable(); TestMcpServer sse = TestMcpServer.sse()) {
            List<McpConnection> connections = guarded.connectAll(List.of(spec("pod", server.url("/mcp"), null),
                    spec("pod-sse", sse.url("/sse"), null),
                    spec("metadata", "http://169.254.169.254/mcp?token=abc", null)), Map.of());
            assertThat(connections).isEmpty();
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).contains(
                    "failed to connect to pod: refused to connect to 127.0.0.1: a loopback address (this pod itself);"
                            + " ARK_EGRESS_ALLOW (the chart's egress.allow) lifts this",
                    "failed to connect to pod-sse: refused to connect to 127.0.0.1: a loopback address (this pod itself);"
                            + " ARK_EGRESS_ALLOW (the chart's egress.allow) lifts this",
                    "failed to connect to metadata: refused to connect to 169.254.169.254: a link-local address, where"
                            + " cloud metadata services answer; ARK_EGRESS_ALLOW (the chart's egress.allow) lifts this");
            assertThat(server.apiKeyHeaders).isEmpty();
            assertThat(sse.apiKeyHeaders).isEmpty();
        }
    }

    @Test
    void specsAreReadFromTheEnvironmentJson() throws LlmException {
        List<McpServerSpec> specs = McpConnector.parse("""
                [{"name":"a","url":"http://x/mcp","headers":[{"name":"Authorization","value":"Bearer t"}],
                  "guidance":"be nice"}]""");

        assertThat(specs).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("a");
            assertThat(s.headers()).extracting(McpHeader::value).containsExactly("Bearer t");
        });
        assertThat(McpConnector.parse(null)).isEmpty();
        assertThatThrownBy(() -> McpConnector.parse("{nope")).isInstanceOf(LlmException.class)
                .hasMessageStartingWith("AGENT_MCP_SERVERS is not a JSON array");
    }
}
