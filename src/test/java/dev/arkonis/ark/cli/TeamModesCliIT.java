package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.llm.OpenAiStandIn;
import dev.arkonis.ark.llm.OpenAiStandIn.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ark run of every team mode through the openai provider, against a local OpenAI-compatible server that answers with
 * tool calls in OpenAI's wire format as a model would: the dispatcher delegates, the router routes, lookups find their
 * agents; and ark validate of what each mode can get wrong.
 */
class TeamModesCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURES = "src/test/resources/modes/";

    @TempDir
    Path dir;

    /** Answers as the fixtures' models would: by the tools offered, the tool results so far, and whose prompt it is. */
    private static Answer model(OpenAiStandIn.Request r) {
        if (r.tool("route").isPresent()) {
            String task = r.user().split("\n\nCapabilities:")[0];
            if (task.contains("query")) {
                return Answer.call("route", OpenAiStandIn.args().put("capability", "slow-query")
                        .put("reason", "The task is about a slow SQL query."));
            }
            return Answer.text("This spans several areas; no single capability fits.");
        }
        if (r.tool("delegate").isPresent()) {
            return r.toolResults().isEmpty()
                    ? Answer.call("delegate", OpenAiStandIn.args().put("role", "payments")
                            .put("task", "Refund the second charge of invoice 42."))
                    : Answer.text("Dispatcher: " + r.toolResults().get(0));
        }
        String who = r.system().lines().findFirst().orElse("").strip();
        return Answer.text(who + " | " + r.user().lines().findFirst().orElse("").strip());
    }

    private static ArkProcess.Result run(OpenAiStandIn server, String... args) throws Exception {
        return ArkProcess.run(ArkProcess.Options.defaults().withEnv(Map.of("OPENAI_API_KEY", "sk-test",
                "OPENAI_BASE_URL", server.baseUrl())), args);
    }

    @Test
    void aDynamicTeamsDispatcherDelegatesOverTheWireAndTheChildIsAStepOfTheRun() throws Exception {
        try (OpenAiStandIn server = new OpenAiStandIn(TeamModesCliIT::model)) {
            ArkProcess.Result result = run(server, "run", FIXTURES + "support-desk.yaml", "--provider", "openai",
                    "-o", "json", "--input", "ticket=I was charged twice for invoice 42.");
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            JsonNode doc = JSON.readTree(result.stdout());
            assertThat(doc.path("phase").asText()).isEqualTo("Succeeded");
            assertThat(doc.path("output").asText()).isEqualTo("Dispatcher: You are the payments specialist. Settle "
                    + "charges and refunds. | Refund the second charge of invoice 42.");
            assertThat(doc.path("steps").findValuesAsText("name")).containsExactly("dispatcher", "payments-1");
            JsonNode child = doc.path("steps").get(1);
            assertThat(child.path("role").asText()).isEqualTo("payments");
            assertThat(child.path("parent").asText()).isEqualTo("dispatcher");
            assertThat(child.path("delegation").path("task").asText()).isEqualTo("Refund the second charge of invoice 42.");
            assertThat(child.path("phase").asText()).isEqualTo("Succeeded");
            assertThat(result.stderr()).contains("WARN mcp: failed to connect to runbooks");

            OpenAiStandIn.Request dispatcher = server.received().stream()
                    .filter(r -> r.system().startsWith("You are the support dispatcher")).findFirst().orElseThrow();
            JsonNode delegate = dispatcher.tool("delegate").orElseThrow();
            assertThat(delegate.path("parameters").path("properties").path("role").path("enum").toString())
                    .isEqualTo("[\"payments\",\"platform\",\"legal\"]");
            assertThat(dispatcher.user()).isEqualTo("I was charged twice for invoice 42.");
            OpenAiStandIn.Request payments = server.received().stream()
                    .filter(r -> r.system().startsWith("You are the payments specialist")).findFirst().orElseThrow();
            assertThat(payments.tool("delegate")).as("payments may not delegate").isEmpty();
            assertThat(payments.body().path("max_tokens").asInt(payments.body().path("max_completion_tokens").asInt()))
                    .isEqualTo(3000);
        }
    }

    @Test
    void aRoutedTeamsRouterPicksTheAgentOverTheWireAndARefusalGoesToTheFallback() throws Exception {
        try (OpenAiStandIn server = new OpenAiStandIn(TeamModesCliIT::model)) {
            ArkProcess.Result routed = run(server, "run", FIXTURES + "ops-desk.yaml", "--provider", "openai", "-o",
                    "json", "--input", "task=Our user search query takes 8 seconds");
            assertThat(routed.exitCode()).as(routed.stderr()).isZero();
            JsonNode step = JSON.readTree(routed.stdout()).path("steps").get(0);
            assertThat(step.path("name").asText()).isEqualTo("route");
            assertThat(step.path("resolvedAgent").asText()).isEqualTo("data-fixer");
            assertThat(step.path("selectedCapability").asText()).isEqualTo("slow-query");
            assertThat(step.path("routingReason").asText()).isEqualTo("The task is about a slow SQL query.");
            assertThat(JSON.readTree(routed.stdout()).path("output").asText())
                    .isEqualTo("You fix databases. | Our user search query takes 8 seconds");
            OpenAiStandIn.Request router = server.received().get(0);
            assertThat(router.body().path("model").asText()).isEqualTo("router-model");
            assertThat(router.tool("route").orElseThrow().path("parameters").path("properties").path("capability")
                    .path("enum").toString()).isEqualTo("[\"api-fault\",\"slow-query\",\"ui-fault\"]");

            ArkProcess.Result fallback = run(server, "run", FIXTURES + "ops-desk.yaml", "--provider", "openai", "-o",
                    "json", "--input", "{\"task\": \"Standup summary\", \"notes\": \"incidents and costs\"}");
            assertThat(fallback.exitCode()).as(fallback.stderr()).isZero();
            JsonNode fell = JSON.readTree(fallback.stdout()).path("steps").get(0);
            assertThat(fell.path("resolvedAgent").asText()).isEqualTo("all-rounder");
            assertThat(fell.has("selectedCapability")).isTrue();
            assertThat(fell.path("selectedCapability").isNull()).isTrue();
            assertThat(fell.path("routingReason").asText()).isEqualTo("the router chose no capability (\"This spans "
                    + "several areas; no single capability fits.\"); fallback all-rounder");
        }
    }

    @Test
    void registryLookupStepsFindTheirAgentsBesideAStepOfAFixedRole() throws Exception {
        try (OpenAiStandIn server = new OpenAiStandIn(TeamModesCliIT::model)) {
            ArkProcess.Result result = run(server, "run", FIXTURES + "content-lookup.yaml", "--provider", "openai",
                    "-o", "json", "--input", "theme=tides");
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            JsonNode steps = JSON.readTree(result.stdout()).path("steps");
            assertThat(steps.findValuesAsText("name")).containsExactly("finder", "composer", "copyeditor");
            assertThat(steps.get(0).path("resolvedAgent").asText()).isEqualTo("paper-searcher");
            assertThat(steps.get(1).path("resolvedAgent").asText()).isEqualTo("essayist");
            assertThat(steps.get(1).path("routingReason").asText()).startsWith("round-robin: essayist");
            assertThat(steps.get(2).has("resolvedAgent")).isFalse();
            assertThat(server.received()).extracting(r -> r.system().lines().findFirst().orElse("")).containsExactly(
                    "You read papers closely.", "You write essays.", "You correct essays. Return the corrected text only.");
        }
    }

    @Test
    void aReferencedArkSettingsPutsItsTemperatureAndFragmentsIntoTheCalls() throws Exception {
        Path file = dir.resolve("settings.yaml");
        Files.writeString(file, """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkSettings
                metadata: {name: house-style}
                spec:
                  temperature: "0.2"
                  outputFormat: markdown
                  memoryBackend: in-context
                  promptFragments:
                    persona: "You are an expert analyst."
                    outputRules: "Always cite sources."
                ---
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: analysts}
                spec:
                  roles:
                    - {name: analyst, model: m, systemPrompt: "Summarise reports.", settingsRefs: [{name: house-style}]}
                  pipeline: [{role: analyst, inputs: {prompt: "Q3 report"}}]
                """);
        try (OpenAiStandIn server = new OpenAiStandIn(TeamModesCliIT::model)) {
            ArkProcess.Result result = run(server, "run", file.toString(), "--provider", "openai");
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            OpenAiStandIn.Request call = server.received().get(0);
            assertThat(call.body().path("temperature").asDouble()).isEqualTo(0.2);
            assertThat(call.system()).isEqualTo("You are an expert analyst.\n\nSummarise reports.\n\nAlways cite sources."
                    + "\n\nFormat your answer as Markdown.");
        }
    }

    @Test
    void validateNamesWhatEachModeGetsWrong() throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: essayist}
                spec: {model: m, capabilities: [{id: compose.essay}]}
                ---
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: desk}
                spec:
                  entry: dispatcher
                  inputs: [{name: ticket}]
                  roles:
                    - {name: dispatcher, model: m, canDelegate: [payments, accounting]}
                    - {name: payments, model: m}
                ---
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: router}
                spec:
                  routing: {model: m}
                ---
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: essays}
                spec:
                  roles: [{name: editor, model: m}]
                  pipeline:
                    - {role: writer, registryLookup: {capability: compose.esay}}
                    - {role: editor, dependsOn: [writer]}
                """);
        ArkProcess.Result result = ArkProcess.run("validate", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains(
                "error: team desk: spec.roles[0].canDelegate[1]: delegate target \"accounting\" is not a role of this team "
                        + "(roles: dispatcher, payments)",
                "error: team router: spec.routing.registryRef.name: required: the ArkRegistry the router chooses from",
                "error: team essays: spec.pipeline[0].registryLookup.capability: unknown capability \"compose.esay\": no "
                        + "agent of this file has it (capabilities: compose.essay)");
        assertThat(result.stdout()).contains("ArkAgent essayist is valid");

        ArkProcess.Result examples = ArkProcess.run("validate", "examples/dynamic-team.yaml", "examples/routed-team.yaml",
                "examples/registry-lookup.yaml");
        assertThat(examples.exitCode()).as(examples.stderr()).isZero();
        assertThat(examples.stdout()).contains("team trip-desk is valid: dynamic mode, entry role concierge, 4 role(s)",
                "team help-desk is valid: routed mode, registry desk-registry, fallback generalist");
        assertThat(examples.stderr()).doesNotContain("not supported");
        List<String> fixtures = List.of("support-desk.yaml", "ops-desk.yaml", "content-lookup.yaml");
        for (String fixture : fixtures) {
            ArkProcess.Result valid = ArkProcess.run("validate", FIXTURES + fixture);
            assertThat(valid.exitCode()).as(valid.stderr()).isZero();
            assertThat(valid.stderr()).as(fixture).isEmpty();
        }
    }
}
