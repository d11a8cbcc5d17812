package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.RunPhase;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The troubleshooting guide (docs/troubleshooting.md), command by command, against a real run on the real API
 * server: each {@code kubectl} command the API server can answer is run as the guide writes it, and its output must
 * say what the guide says. Every transcript is kept in {@code target/guide-commands.txt}.
 */
@Order(50)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuideCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TRANSCRIPTS = Path.of("target/guide-commands.txt");
    private static final String TEAM = "blog";
    private static ArkCluster cluster;
    private static TestNamespace ns;

    /** A writer on a budget of 10 tokens and a reviewer whose step fails (the mock provider's failure marker). */
    private static final String BLOG = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: blog}
            spec:
              inputs: [{name: topic, required: true}]
              roles:
                - {name: writer, model: gpt-4o-mini, provider: mock, limits: {maxDailyTokens: 10}}
                - {name: reviewer, model: gpt-4o-mini, provider: mock}
              pipeline:
                - role: writer
                  inputs: {prompt: "Write about {{ .input.topic }}"}
                - role: reviewer
                  dependsOn: [writer]
                  inputs: {prompt: "Review [mock:fail] {{ .steps.writer.output }}"}
            """;

    @BeforeAll
    static void aRealRun() throws IOException {
        cluster = ArkCluster.get();
        cluster.ark();
        Files.writeString(TRANSCRIPTS, "# The troubleshooting guide's commands against a real run (GuideCommandsIT)\n\n");
        ns = TestNamespace.create(cluster, "guide");
        ns.apply(BLOG).assertSuccess();
        ns.startRun("blog-run", TEAM, "{topic: Redis streams}");
        ns.awaitPhase("blog-run", RunPhase.Failed);
        eventually().until(() -> BudgetIT.exhausted(ns, "blog-writer"));
    }

    @AfterAll
    static void cleanUp() {
        if (ns != null) {
            ns.close();
        }
        if (models != null) {
            models.stop(0);
        }
    }

    private static HttpServer models;

    /** An OpenAI-compatible endpoint that knows every model, so the agent's start-up check of its model passes. */
    private static String openAiCompatible() throws IOException {
        models = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        models.createContext("/", exchange -> {
            byte[] body = "{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"owned_by\":\"harness\"}".getBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        models.start();
        return "http://127.0.0.1:" + models.getAddress().getPort() + "/v1";
    }

    /** Runs a command as the guide writes it (through a shell, so pipes work) and keeps the transcript. */
    private static Command.Result guide(String commandLine) throws IOException {
        Command.Result result = Command.run(List.of("/bin/sh", "-c", commandLine), cluster.kube.shellEnv(),
                Duration.ofMinutes(1));
        Command.Result shown = new Command.Result(List.of(commandLine), result.exitCode(), result.stdout(), result.stderr());
        Files.writeString(TRANSCRIPTS, shown.transcript() + "\n\n", StandardOpenOption.APPEND);
        return shown;
    }

    @Test
    @Order(1)
    void startWithArkRunListedByTeam() throws IOException {
        Command.Result get = guide("kubectl get arkrun -n " + ns.name + " -l arkonis.dev/team=" + TEAM).assertSuccess();
        String[] lines = get.stdout().split("\n");
        assertThat(lines[0]).as("the columns read in the order of the spec").matches("NAME\\s+TEAM\\s+PHASE\\s+STEPS\\s+TOKENS\\s+AGE");
        assertThat(lines[1]).matches("blog-run\\s+blog\\s+Failed\\s+2/2\\s+\\d+\\s+\\d+s");
    }

    @Test
    @Order(2)
    void describeArkRunTellsTheStory() throws IOException {
        Command.Result describe = guide("kubectl describe arkrun blog-run -n " + ns.name).assertSuccess();
        assertThat(describe.stdout()).contains("Phase:", "Failed", "Failed Step:", "reviewer",
                "Output:", "mock answer to: Write about Redis streams",
                "Message:", "mock: failure requested by the prompt",
                "Token Usage:", "Total Tokens:",
                "Events:", "RunFailed", "step reviewer failed");
    }

    @Test
    @Order(3)
    void stepsByJsonpathShowPhaseOutputAndMessage() throws IOException {
        Command.Result steps = guide("kubectl get arkrun blog-run -n " + ns.name + " -o jsonpath='{.status.steps}'")
                .assertSuccess();
        JsonNode json = JSON.readTree(steps.stdout());
        assertThat(json).hasSize(2);
        assertThat(json.get(0).path("name").asText()).isEqualTo("writer");
        assertThat(json.get(0).path("phase").asText()).isEqualTo("Succeeded");
        assertThat(json.get(0).path("output").asText()).isEqualTo("mock answer to: Write about Redis streams");
        assertThat(json.get(1).path("phase").asText()).isEqualTo("Failed");
        assertThat(json.get(1).path("message").asText()).contains("mock: failure requested by the prompt");
    }

    @Test
    @Order(4)
    void agentPodsOfTheTeam() throws IOException {
        ns.awaitReadyPods("blog-reviewer", 1);
        // the writer's pod, scaled to 0 by its budget, may still be terminating: the guide's command is run after
        ns.awaitNoPods("blog-writer");
        Command.Result pods = guide("kubectl get pods -n " + ns.name + " -l arkonis.dev/team=" + TEAM).assertSuccess();
        assertThat(pods.stdout()).containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE")
                .containsPattern("blog-reviewer-\\S+\\s+1/1\\s+Running\\s+0");
        assertThat(pods.stdout()).as("the writer is scaled to 0 by its budget").doesNotContain("blog-writer-");
    }

    @Test
    @Order(5)
    void arkAgentsShowTheSpentBudgetAsZeroReplicas() throws IOException {
        eventually().until(() -> ns.agent("blog-writer").getStatus().replicas() == 0);
        Command.Result agents = guide("kubectl get arkagent -n " + ns.name).assertSuccess();
        String[] lines = agents.stdout().split("\n");
        assertThat(lines[0]).matches("NAME\\s+MODEL\\s+REPLICAS\\s+READY\\s+DESIRED\\s+TOKENS\\(24H\\)\\s+BUDGET\\s+AGE");
        assertThat(agents.stdout()).containsPattern("blog-writer\\s+gpt-4o-mini\\s+0\\s+0\\s+0\\s+\\d+\\s+\\d+/10\\s+\\d+s")
                // a role without limits.maxDailyTokens gets the chart's agentDefaults.maxDailyTokens
                .containsPattern("blog-reviewer\\s+gpt-4o-mini\\s+1\\s+1\\s+1\\s+\\d+\\s+\\d+/1000000\\s+\\d+s");
    }

    @Test
    @Order(6)
    void describeArkAgentShowsBudgetExceeded() throws IOException {
        Command.Result describe = guide("kubectl describe arkagent blog-writer -n " + ns.name).assertSuccess();
        // the guide: "BudgetExceeded: True" with "rolling 24h budget of <N> tokens exhausted"
        assertThat(describe.stdout()).containsPattern("Message:\\s+rolling 24h budget of 10 tokens exhausted\n"
                + "(\\s+\\S.*\n)*?\\s+Status:\\s+True\n\\s+Type:\\s+BudgetExceeded")
                .contains("Budget Resets At:").containsPattern("Replicas:\\s+0")
                .containsPattern("Warning\\s+BudgetExceeded\\s+.*rolling 24h budget of 10 tokens exhausted");
    }

    @Test
    @Order(7)
    void thePatchOfTheGuideLiftsTheBudget() throws IOException {
        Command.Result patch = guide("kubectl patch arkagent blog-writer -n " + ns.name
                + " --type=merge -p '{\"spec\":{\"limits\":{\"maxDailyTokens\":0}}}'").assertSuccess();
        assertThat(patch.stdout()).contains("arkagent.arkonis.dev/blog-writer patched");
        eventually().until(() -> !BudgetIT.exhausted(ns, "blog-writer") && ns.agent("blog-writer").getStatus().readyReplicas() == 1);
        Command.Result agents = guide("kubectl get arkagent blog-writer -n " + ns.name).assertSuccess();
        assertThat(agents.stdout()).containsPattern("blog-writer\\s+gpt-4o-mini\\s+1\\s+1\\s+1\\s+\\d+\\s+\\d+/unlimited");
    }

    @Test
    @Order(8)
    void scaleAndAnnotateForRetryAsTheReadmeSays() throws IOException {
        Command.Result scale = guide("kubectl scale arkagent blog-reviewer -n " + ns.name + " --replicas=2").assertSuccess();
        assertThat(scale.stdout()).contains("arkagent.arkonis.dev/blog-reviewer scaled");
        ns.awaitReadyPods("blog-reviewer", 2);
        Command.Result annotate = guide("kubectl annotate arkrun blog-run -n " + ns.name
                + " --overwrite arkonis.dev/retry=\"$(date +%s)\"").assertSuccess();
        assertThat(annotate.stdout()).contains("arkrun.arkonis.dev/blog-run annotated");
        eventually().untilAsserted(() -> assertThat(ns.eventReasons("blog-run")).contains("RetryRequested"));
        // the reviewer's prompt still asks the mock to fail: the retried step fails again, with attempt 2
        eventually().until(() -> ns.run("blog-run").getStatus().steps().get(1).attempts() == 2
                && ns.run("blog-run").getStatus().phase() == RunPhase.Failed);
        guide("kubectl get arkrun -n " + ns.name + " -l arkonis.dev/team=" + TEAM).assertSuccess();
    }

    @Test
    @Order(9)
    void theOperatorIsRolledOutAndItsRbacReapplies() throws IOException {
        Command.Result rollout = guide("kubectl rollout status deployment/ark-operator -n ark-system").assertSuccess();
        assertThat(rollout.stdout()).contains("deployment \"ark-operator\" successfully rolled out");
        Command.Result pods = guide("kubectl get pods -n ark-system").assertSuccess();
        assertThat(pods.stdout()).containsPattern("ark-operator-\\S+\\s+1/1\\s+Running")
                .containsPattern("ark-redis-\\S+\\s+1/1\\s+Running");
        // the RBAC of this checkout, as the guide applies it after a CRD upgrade
        Command.Result rbac = guide("kubectl apply -f config/rbac/").assertSuccess();
        assertThat(rbac.stdout()).contains("clusterrole.rbac.authorization.k8s.io/ark-operator")
                .contains("role.rbac.authorization.k8s.io/ark-operator-leader-election");
    }

    @Test
    @Order(10)
    void theSecretOfAnMcpHeaderCanBeInspected() throws IOException {
        ns.kubectl("create", "secret", "generic", "mcp-auth", "--from-literal=token=s3cr3t").assertSuccess();
        Command.Result data = guide("kubectl get secret mcp-auth -n " + ns.name + " -o jsonpath='{.data}'").assertSuccess();
        assertThat(data.stdout()).contains("\"token\"");
        Command.Result decoded = guide("kubectl get secret mcp-auth -n " + ns.name
                + " -o jsonpath='{.data.token}' | base64 -d").assertSuccess();
        assertThat(decoded.stdout()).isEqualTo("s3cr3t");
    }

    /**
     * A role whose key is overridden empty (the key Secret "not mounted"), and one with an MCP server that is down
     * (a real provider, as the mock one never connects to tools; no step runs on it). Both run with the namespace's
     * own key Secret, as only then may a role's env name a key or endpoint.
     */
    private static final String BROKEN = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: broken}
            spec:
              roles:
                - name: keyless
                  model: gpt-4o-mini
                  provider: openai
                  apiKeys: {secretRef: {name: own-keys}}
                  env: [{name: OPENAI_API_KEY, value: ""}]
                - name: searcher
                  model: gpt-4o-mini
                  provider: openai
                  apiKeys: {secretRef: {name: own-keys}}
                  env: [{name: OPENAI_BASE_URL, value: "%s"}]
                  mcpServers: [{name: web-search, url: "http://127.0.0.1:9/mcp"}]
              pipeline:
                - {role: keyless, inputs: {prompt: write}}
            """;

    @Test
    @Order(11)
    void aCrashLoopingAgentShowsWhyInItsPreviousLogs() throws IOException {
        ns.kubectl("create", "secret", "generic", "own-keys", "--from-literal=OPENAI_API_KEY=sk-own").assertSuccess();
        ns.apply(BROKEN.formatted(openAiCompatible())).assertSuccess();
        String pod = eventually().atMost(Duration.ofSeconds(90)).until(() -> cluster.admin.pods().inNamespace(ns.name)
                .withLabel("arkonis.dev/agent", "broken-keyless").list().getItems().stream()
                .filter(p -> p.getStatus().getContainerStatuses() != null && p.getStatus().getContainerStatuses().stream()
                        .anyMatch(c -> c.getRestartCount() >= 1)).map(p -> p.getMetadata().getName()).findFirst().orElse(null),
                name -> name != null);
        Command.Result pods = guide("kubectl get pods -n " + ns.name + " -l arkonis.dev/team=broken").assertSuccess();
        assertThat(pods.stdout()).containsPattern(pod + "\\s+0/1\\s+(CrashLoopBackOff|Error|Running)\\s+[1-9]");
        Command.Result previous = guide("kubectl logs " + pod + " -n " + ns.name + " --previous").assertSuccess();
        assertThat(previous.stdout()).contains("OPENAI_API_KEY not set");
    }

    @Test
    @Order(12)
    void anUnreachableMcpServerIsAWarningAndTheAgentStarts() throws IOException {
        String pod = ns.awaitReadyPods("broken-searcher", 1).get(0).getMetadata().getName();
        Command.Result mcp = guide("kubectl logs " + pod + " -n " + ns.name + " | grep -i mcp").assertSuccess();
        assertThat(mcp.stdout()).contains("WARN mcp: failed to connect to web-search: ");
    }

    @Test
    @Order(13)
    void theOperatorsLogsAreReadable() throws IOException {
        Command.Result logs = guide("kubectl logs deployment/ark-operator -n ark-system | tail -50").assertSuccess();
        // refusals of RBAC read "User ... cannot <verb> resource"; a namespace being deleted is no such refusal
        assertThat(logs.stdout()).isNotBlank().doesNotContainPattern("forbidden: User \\S+ cannot");
    }
}
