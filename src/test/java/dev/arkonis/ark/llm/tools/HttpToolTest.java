package dev.arkonis.ark.llm.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.egress.GuardedHttp;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.StubHttpServer;
import dev.arkonis.ark.llm.StubHttpServer.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpToolTest {
    private StubHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new StubHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The stub is on loopback, which only the allow list opens (HttpToolEgressTest: and nothing else does). */
    private List<Tool> tools(String json) throws LlmException {
        return HttpTools.parse(json, GuardedHttp.client(EgressPolicy.forCluster(Map.of(EgressPolicy.ALLOW, "127.0.0.0/8")),
                Duration.ofSeconds(5), Duration.ofSeconds(5), true), HttpTools.DEFAULT_MAX_RESPONSE_BYTES);
    }

    @Test
    void postSendsTheArgumentsAsJsonAndReturnsTheBody() throws Exception {
        server.reply(new Reply(200, Map.of("Content-Type", "text/plain"), "42 results"));
        Tool tool = tools("""
                [{"name":"search","description":"Search the web","url":"%s/search",
                  "inputSchema":"{\\"type\\":\\"object\\",\\"properties\\":{\\"q\\":{\\"type\\":\\"string\\"}}}"}]"""
                .formatted(server.url())).get(0);

        assertThat(tool.name()).isEqualTo("search");
        assertThat(tool.description()).isEqualTo("Search the web");
        assertThat(tool.parametersSchema()).contains("\"q\"");
        assertThat(tool.call("{\"q\":\"ark\"}")).isEqualTo("42 results");
        StubHttpServer.Received sent = server.received().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/search");
        assertThat(sent.body()).isEqualTo("{\"q\":\"ark\"}");
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void aCallThroughTheToolboxIsASpanNamingTheToolItsKindAndItsServer() throws Exception {
        server.reply(Reply.json("{\"temp\":21}"));
        try (dev.arkonis.ark.telemetry.OtlpReceiver otlp = new dev.arkonis.ark.telemetry.OtlpReceiver()) {
            dev.arkonis.ark.telemetry.Telemetry telemetry = dev.arkonis.ark.telemetry.Telemetry.fromEnv(otlp.env("agent"), "agent");
            Toolbox toolbox = new Toolbox(tools("[{\"name\":\"weather\",\"url\":\"%s/weather\"}]".formatted(server.url())),
                    "", List.of(), telemetry);
            assertThat(toolbox.call("weather", "{\"city\":\"Atlantis\"}")).isEqualTo("{\"temp\":21}");
            telemetry.close();

            assertThat(otlp.spans()).singleElement().satisfies(span -> {
                assertThat(span.name()).isEqualTo("execute_tool weather");
                assertThat(span.attributes()).containsEntry("gen_ai.tool.name", "weather")
                        .containsEntry("ark.tool.kind", "http")
                        .containsEntry("ark.tool.server", java.net.URI.create(server.url()).getHost());
                assertThat(span.failed()).isFalse();
            });
            assertThat(otlp.rawText()).as("arguments are not recorded").doesNotContain("Atlantis");
        }
    }

    @Test
    void getSendsTheArgumentsAsQueryParameters() throws Exception {
        server.reply(Reply.json("{\"temp\":21}"));
        Tool tool = tools("[{\"name\":\"weather\",\"url\":\"%s/weather?units=metric\",\"method\":\"GET\"}]"
                .formatted(server.url())).get(0);

        assertThat(tool.call("{\"city\":\"New York\",\"days\":2}")).isEqualTo("{\"temp\":21}");
        StubHttpServer.Received sent = server.received().get(0);
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.query()).isEqualTo("units=metric&city=New%20York&days=2");
        assertThat(tool.parametersSchema()).isEqualTo(HttpTool.EMPTY_OBJECT_SCHEMA);
    }

    @Test
    void putAndPatchAreHonoured() throws Exception {
        server.reply(Reply.json("ok"), Reply.json("ok"));
        List<Tool> tools = tools("[{\"name\":\"a\",\"url\":\"%1$s/a\",\"method\":\"PUT\"},{\"name\":\"b\",\"url\":\"%1$s/b\",\"method\":\"PATCH\"}]"
                .formatted(server.url()));

        tools.get(0).call("{}");
        tools.get(1).call("{}");

        assertThat(server.received()).extracting(StubHttpServer.Received::method).containsExactly("PUT", "PATCH");
    }

    @Test
    void nonSuccessStatusIsAToolError() throws Exception {
        server.reply(Reply.status(503, "backend down"));
        Tool tool = tools("[{\"name\":\"x\",\"url\":\"%s/x\"}]".formatted(server.url())).get(0);

        assertThatThrownBy(() -> tool.call("{}")).isInstanceOf(ToolException.class)
                .hasMessageContaining("HTTP 503").hasMessageContaining("backend down");
    }

    @Test
    void toolboxTurnsToolErrorsIntoResultText() throws Exception {
        server.reply(Reply.status(404, "nope"));
        Toolbox toolbox = new Toolbox(tools("[{\"name\":\"x\",\"url\":\"%s/x\"}]".formatted(server.url())), "", List.of());

        assertThat(toolbox.call("x", "{}")).startsWith("error: HTTP 404").contains("nope");
        assertThat(toolbox.call("missing", "{}")).isEqualTo("error: unknown tool 'missing'; available tools: x");
    }

    @Test
    void badJsonIsAClearSetupError() {
        assertThatThrownBy(() -> tools("not json")).isInstanceOf(LlmException.class)
                .hasMessageStartingWith("AGENT_WEBHOOK_TOOLS is not a JSON array");
    }
}
