package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.llm.StubHttpServer;
import dev.arkonis.ark.llm.mcp.ServerEverything;
import dev.arkonis.ark.queue.RedisFixture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the jar: with the mock provider, {@code ark run} and {@code ark agent} connect to a role's MCP servers (the
 * MCP project's server-everything over streamable HTTP) and HTTP tools, log the WARN line of docs/troubleshooting.md
 * for one that does not answer, and call the tools a prompt asks for.
 */
class MockToolsIT {
    private static ServerEverything everything;
    private static int closedPort;

    @BeforeAll
    static void startServer() throws Exception {
        everything = ServerEverything.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        everything.close();
    }

    @Test
    void arkRunWithTheMockCallsTheRolesMcpAndHttpTools(@TempDir Path dir) throws Exception {
        try (StubHttpServer http = new StubHttpServer().reply(StubHttpServer.Reply.json("{\"forecast\":\"sunny\"}"))) {
            Path team = dir.resolve("team.yaml");
            Files.writeString(team, """
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata:
                      name: tooling
                    spec:
                      roles:
                        - name: researcher
                          model: gpt-4o-mini
                          mcpServers:
                            - name: web-search
                              url: http://127.0.0.1:%d/mcp
                            - name: everything
                              url: %s
                          tools:
                            - name: weather
                              url: %s/weather
                              method: POST
                      pipeline:
                        - role: researcher
                          inputs:
                            prompt: 'Add and check. [mock:tool get-sum {"a":2,"b":40}] [mock:tool weather {"city":"Oslo"}]'
                    """.formatted(closedPort, everything.url(), http.url()));

            ArkProcess.Result run = ArkProcess.run("run", team.toString(), "--provider", "mock", "--format", "json");

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stderr()).contains("WARN mcp: failed to connect to web-search: connection refused");
            JsonNode doc = new ObjectMapper().readTree(run.stdout());
            assertThat(doc.path("output").asText()).contains("[tool get-sum] The sum of 2 and 40 is 42.")
                    .contains("[tool weather] {\"forecast\":\"sunny\"}");
            assertThat(http.received()).singleElement()
                    .satisfies(r -> assertThat(r.body()).isEqualTo("{\"city\":\"Oslo\"}"));
            // three model turns (two tool calls, then the answer) each read the whole conversation so far
            long prompt = "Add and check. [mock:tool get-sum {\"a\":2,\"b\":40}] [mock:tool weather {\"city\":\"Oslo\"}]"
                    .length();
            assertThat(doc.path("tokens").path("input").asLong()).isGreaterThan(3 * ((prompt + 3) / 4));
        }
    }

    @Test
    void arkAgentWithTheMockCallsToolsForATaskFromTheQueue(@TempDir Path dir) throws Exception {
        try (RedisFixture redis = RedisFixture.start()) {
            ProcessBuilder builder = new ProcessBuilder(ArkProcess.javaBinary(), "-jar", ArkProcess.jar().toString(),
                    "agent");
            builder.environment().keySet().removeIf(k -> k.endsWith("_API_KEY") || k.endsWith("_BASE_URL"));
            builder.environment().putAll(Map.of(
                    "AGENT_QUEUE", "ns.tooling.researcher",
                    "TASK_QUEUE_URL", redis.url(),
                    "POD_NAME", "tooling-researcher-0",
                    "AGENT_MODEL", "gpt-4o-mini",
                    "AGENT_PROVIDER", "mock",
                    // the MCP servers here are on loopback, which an agent reaches only through the allow list
                    "ARK_EGRESS_ALLOW", "127.0.0.0/8",
                    "AGENT_HEALTH_PORT", Integer.toString(RedisFixture.freePort()),
                    "AGENT_MCP_SERVERS", """
                            [{"name":"web-search","url":"http://127.0.0.1:%d/mcp"},{"name":"everything","url":"%s"}]"""
                            .formatted(closedPort, everything.url())));
            File log = dir.resolve("agent.log").toFile();
            Process agent = builder.redirectErrorStream(true).redirectOutput(log)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                redis.redis().xadd("ns.tooling.researcher", Map.of("task", "run-1/researcher/1",
                        "prompt", "Echo it. [mock:tool echo {\"message\":\"from the queue\"}]",
                        "replyTo", "ns.tooling.researcher.results", "step", "researcher", "attempt", "1"));

                List<StreamMessage<String, String>> results = await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> redis.redis().xread(XReadArgs.StreamOffset.from("ns.tooling.researcher.results", "0")),
                                r -> !r.isEmpty());
                Map<String, String> result = results.get(0).getBody();
                assertThat(result).containsEntry("status", "succeeded").containsEntry("task", "run-1/researcher/1");
                assertThat(result.get("output")).contains("[tool echo] Echo: from the queue");
                assertThat(Long.parseLong(result.get("inputTokens"))).isPositive();
                assertThat(Files.readString(log.toPath(), StandardCharsets.UTF_8))
                        .contains("WARN mcp: failed to connect to web-search: connection refused");
            } finally {
                agent.destroy();
                if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                    agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
