package dev.arkonis.ark.llm.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.egress.GuardedHttp;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.LlmSetup;
import dev.arkonis.ark.llm.StubHttpServer;
import dev.arkonis.ark.llm.StubHttpServer.Reply;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An HTTP tool cannot be pointed at the pod itself, cloud metadata, the API server or Redis; and tells no secrets. */
class HttpToolEgressTest {
    private static Tool tool(String url, EgressPolicy egress) throws Exception {
        return tool(url, egress, HttpTools.DEFAULT_MAX_RESPONSE_BYTES);
    }

    private static Tool tool(String url, EgressPolicy egress, int maxResponseBytes) throws Exception {
        return HttpTools.parse("[{\"name\":\"probe\",\"url\":\"" + url + "\",\"method\":\"GET\"}]",
                GuardedHttp.client(egress, Duration.ofSeconds(2), Duration.ofSeconds(5), true), maxResponseBytes).get(0);
    }

    private static EgressPolicy cluster(String... env) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < env.length; i += 2) {
            values.put(env[i], env[i + 1]);
        }
        return EgressPolicy.forCluster(values);
    }

    @Test
    void anAgentsToolsAreGuardedByDefault() throws Exception {
        try (StubHttpServer pod = new StubHttpServer().reply(Reply.json("{\"secret\":1}"))) {
            LlmProvider agent = LlmSetup.fromEnv(Map.of("AGENT_PROVIDER", "mock", "AGENT_MODEL", "m",
                    "AGENT_WEBHOOK_TOOLS", "[{\"name\":\"probe\",\"url\":\"" + pod.url() + "/admin\"}]"));
            Completion answer = agent.complete(new CompletionRequest("m", null, "[mock:tool probe {}]", null, 100, null));
            assertThat(answer.text()).contains("[tool probe] error: HTTP POST to tool probe at " + pod.url()
                    + " failed: refused to connect to 127.0.0.1: a loopback address (this pod itself)");
            assertThat(pod.received()).isEmpty();
        }
    }

    @Test
    void theCloudMetadataAddressIsRefusedEvenOnALaptop() throws Exception {
        for (EgressPolicy egress : new EgressPolicy[] {cluster(), EgressPolicy.forLaptop(Map.of())}) {
            assertThatThrownBy(() -> tool("http://169.254.169.254/latest/meta-data/iam/", egress).call("{}"))
                    .isInstanceOf(ToolException.class)
                    .hasMessage("HTTP GET to tool probe at http://169.254.169.254 failed: refused to connect to"
                            + " 169.254.169.254: a link-local address, where cloud metadata services answer;"
                            + " ARK_EGRESS_ALLOW (the chart's egress.allow) lifts this");
            assertThatThrownBy(() -> tool("http://[fd00:ec2::254]/latest/", egress).call("{}"))
                    .hasMessageContaining("a cloud metadata address");
        }
    }

    @Test
    void loopbackIsRefusedByAddressAndByANameThatResolvesToItAndNothingIsSent() throws Exception {
        try (StubHttpServer pod = new StubHttpServer().reply(Reply.json("{\"secret\":1}"))) {
            String port = pod.url().substring(pod.url().lastIndexOf(':') + 1);
            assertThatThrownBy(() -> tool(pod.url() + "/admin", cluster()).call("{}"))
                    .hasMessageContaining("refused to connect to 127.0.0.1: a loopback address (this pod itself)");
            assertThatThrownBy(() -> tool("http://localhost:" + port + "/admin", cluster()).call("{}"))
                    .hasMessageContaining("refused to connect to localhost (127.0.0.1): a loopback address");
            assertThatThrownBy(() -> tool("http://0.0.0.0:" + port + "/admin", cluster()).call("{}"))
                    .hasMessageContaining("the unspecified address");
            assertThatThrownBy(() -> tool("http://[::ffff:127.0.0.1]:" + port + "/admin", cluster()).call("{}"))
                    .hasMessageContaining("a loopback address");
            assertThat(pod.received()).isEmpty();
        }
    }

    @Test
    void theApiServerAndRedisAreRefusedThoughTheyAreOrdinaryAddresses() throws Exception {
        EgressPolicy egress = cluster("KUBERNETES_SERVICE_HOST", "10.96.0.1",
                "TASK_QUEUE_URL", "redis://default:pw@10.96.7.7:6379");
        assertThatThrownBy(() -> tool("https://10.96.0.1:443/api/v1/secrets", egress).call("{}"))
                .hasMessageContaining("refused to connect to 10.96.0.1: the cluster's API server");
        assertThatThrownBy(() -> tool("http://10.96.7.7:6379/", egress).call("{}"))
                .hasMessageContaining("refused to connect to 10.96.7.7: the task queue (Redis)");
        // an agent pod is told the operator's API server, whatever its role sets KUBERNETES_SERVICE_HOST to
        EgressPolicy agent = cluster(EgressPolicy.DENY, egress.agentEnv().get(EgressPolicy.DENY),
                "KUBERNETES_SERVICE_HOST", "10.0.0.99");
        assertThatThrownBy(() -> tool("https://10.96.0.1/api", agent).call("{}"))
                .hasMessageContaining("the cluster's API server");
    }

    @Test
    void aRedirectToLoopbackIsRefusedAndTheRedirectedRequestIsNeverSent() throws Exception {
        try (StubHttpServer inside = new StubHttpServer().reply(Reply.json("{\"secret\":1}"));
             StubHttpServer outside = new StubHttpServer("127.0.0.2")) {
            outside.reply(new Reply(302, Map.of("Location", inside.url() + "/admin"), ""));
            // only the "outside" server's address is allowed: it stands for any server on the internet
            EgressPolicy egress = cluster(EgressPolicy.ALLOW, "127.0.0.2");
            assertThatThrownBy(() -> tool(outside.url() + "/start", egress).call("{}"))
                    .hasMessageContaining("refused to connect to 127.0.0.1: a loopback address");
            assertThat(outside.received()).hasSize(1);
            assertThat(inside.received()).isEmpty();
        }
    }

    @Test
    void theAllowListOpensWhatItNamesAndNothingElse() throws Exception {
        try (StubHttpServer server = new StubHttpServer().reply(Reply.json("one"), Reply.json("two"), Reply.json("three"))) {
            String port = server.url().substring(server.url().lastIndexOf(':') + 1);
            assertThat(tool(server.url() + "/x", cluster(EgressPolicy.ALLOW, "10.0.0.0/8, 127.0.0.0/30")).call("{}"))
                    .isEqualTo("one");
            assertThat(tool("http://localhost:" + port + "/x", cluster(EgressPolicy.ALLOW, "localhost")).call("{}"))
                    .isEqualTo("two");
            assertThatThrownBy(() -> tool(server.url() + "/x", cluster(EgressPolicy.ALLOW, "localhost")).call("{}"))
                    .hasMessageContaining("a loopback address");
            assertThatThrownBy(() -> tool(server.url() + "/x", cluster(EgressPolicy.ALLOW, "127.0.0.2/32")).call("{}"))
                    .hasMessageContaining("a loopback address");
            assertThat(tool(server.url() + "/x", EgressPolicy.forLaptop(Map.of())).call("{}"))
                    .as("ark run on a laptop: local tools are normal").isEqualTo("three");
        }
    }

    @Test
    void aLargeResponseIsCutAtTheBound() throws Exception {
        try (StubHttpServer server = new StubHttpServer().reply(Reply.json("x".repeat(1 << 20)))) {
            String result = tool(server.url() + "/big", cluster(EgressPolicy.ALLOW, "127.0.0.1"), 1000).call("{}");
            assertThat(result).startsWith("x".repeat(1000))
                    .endsWith("\n[ark: the response was cut at 1000 bytes]")
                    .hasSize(1000 + "\n[ark: the response was cut at 1000 bytes]".length());
        }
    }

    @Test
    void noErrorCarriesTheUrlsUserinfoPathOrQuery() throws Exception {
        EgressPolicy loopback = cluster(EgressPolicy.ALLOW, "127.0.0.1");
        try (StubHttpServer server = new StubHttpServer().reply(Reply.status(500, "backend down"))) {
            String url = server.url().replace("http://", "http://robot:pa55word@") + "/hooks/s3cretpath?token=t0ken";
            assertThatThrownBy(() -> tool(url, loopback).call("{}"))
                    .hasMessage("HTTP 500 from tool probe at " + server.url() + ": backend down");
            assertThatThrownBy(() -> tool(url, cluster()).call("{}"))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pa55word", "s3cretpath", "t0ken", "robot"));
        }
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String unreachable = "http://robot:pa55word@127.0.0.1:" + closed + "/hooks/s3cretpath?token=t0ken";
        assertThatThrownBy(() -> tool(unreachable, loopback).call("{}"))
                .hasMessageStartingWith("HTTP GET to tool probe at http://127.0.0.1:" + closed + " failed: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pa55word", "s3cretpath", "t0ken", "robot"));
    }
}
