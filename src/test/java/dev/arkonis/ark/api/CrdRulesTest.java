package dev.arkonis.ark.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs hold what the API server checks. The mock API server ignores CRD validation, so the CEL rules
 * are evaluated here with a CEL implementation, against the same kind of objects users apply.
 */
class CrdRulesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final CelCompiler CEL = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private static JsonNode crd(String plural) throws Exception {
        return YAML.readTree(Path.of("crds", plural + ".arkonis.dev-v1.yml").toFile());
    }

    private static JsonNode version(JsonNode crd) {
        return crd.path("spec").path("versions").get(0);
    }

    private static JsonNode specSchema(JsonNode crd) {
        return version(crd).path("schema").path("openAPIV3Schema").path("properties").path("spec");
    }

    /** Messages of the spec-level rules (or those of a schema node within the spec) that the given object breaks. */
    private static List<String> violations(JsonNode crdOrSchema, String specYaml) throws Exception {
        return violations(crdOrSchema, specYaml, null);
    }

    /**
     * The same on an update from {@code oldSpecYaml}: transition rules (those reading {@code oldSelf}) apply only then,
     * as the API server applies them.
     */
    private static List<String> violations(JsonNode crdOrSchema, String specYaml, String oldSpecYaml) throws Exception {
        JsonNode schema = crdOrSchema.has("spec") ? specSchema(crdOrSchema) : crdOrSchema;
        Object spec = YAML.convertValue(YAML.readTree(specYaml), Object.class);
        Object old = oldSpecYaml == null ? null : YAML.convertValue(YAML.readTree(oldSpecYaml), Object.class);
        List<String> broken = new ArrayList<>();
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            boolean transition = rule.path("rule").asText().contains("oldSelf");
            if (transition && old == null) {
                continue;
            }
            CelAbstractSyntaxTree ast = CEL.compile(rule.path("rule").asText()).getAst();
            Object result = RUNTIME.createProgram(ast).eval(transition ? Map.of("self", spec, "oldSelf", old)
                    : Map.of("self", spec));
            if (!Boolean.TRUE.equals(result)) {
                broken.add(rule.path("message").asText());
            }
        }
        return broken;
    }

    @Test
    void aGoodTeamPassesEveryRule() throws Exception {
        assertThat(violations(crd("arkteams"), """
                roles: [{name: r, model: m}, {name: w, model: m}]
                pipeline:
                  - {role: r}
                  - {name: write, role: w, dependsOn: [r]}
                """)).isEmpty();
        assertThat(violations(crd("arkteams"), """
                entry: r
                roles: [{name: r, model: m}]
                """)).as("dynamic mode needs no pipeline").isEmpty();
        assertThat(violations(crd("arkteams"), """
                routing: {registryRef: {name: reg}, model: m, fallback: general}
                """)).as("routed mode needs neither roles nor a pipeline").isEmpty();
        assertThat(violations(crd("arkteams"), """
                roles: [{name: editor, model: m}]
                pipeline:
                  - {role: researcher, registryLookup: {capability: research.academic}}
                  - {role: editor, dependsOn: [researcher]}
                """)).as("a registryLookup step need not name a role").isEmpty();
    }

    @Test
    void teamRulesRejectWhatTheApiServerCanSee() throws Exception {
        JsonNode crd = crd("arkteams");
        assertThat(violations(crd, "roles: [{name: r, model: m}]\npipeline: []\n"))
                .containsExactly("pipeline must have at least one step (or set entry for dynamic mode, routing for routed mode)");
        assertThat(violations(crd, "roles: [{name: r, model: m}]\n"))
                .containsExactly("pipeline must have at least one step (or set entry for dynamic mode, routing for routed mode)");
        assertThat(violations(crd, """
                roles: [{name: r, model: m}, {name: r, model: n}]
                pipeline: [{role: r}]
                """)).containsExactly("role names must be unique");
        assertThat(violations(crd, """
                roles: [{name: r, model: m}]
                pipeline: [{role: writer}]
                """)).containsExactly("every step's role must name a role of this team (unless the step is an approval or has a registryLookup)");
        assertThat(violations(crd, """
                roles: [{name: r, model: m}]
                pipeline: [{role: r}, {role: r}]
                """)).containsExactly("step names must be unique (a step's name defaults to its role)");
        assertThat(violations(crd, """
                roles: [{name: r, model: m}]
                pipeline: [{role: r, dependsOn: [nowhere]}]
                """)).containsExactly("every dependsOn must name a step of this pipeline");
    }

    @Test
    void keyRulesKeepTheOrganisationsKeyWithItsEndpointAndArksCopyOutOfReach() throws Exception {
        JsonNode agents = crd("arkagents");
        assertThat(violations(agents, """
                model: m
                env: [{name: OTHER, value: x}, {name: K, valueFrom: {secretKeyRef: {name: mine, key: k}}}]
                envFrom: [{configMapRef: {name: c}}, {secretRef: {name: mine}}]
                """)).isEmpty();
        assertThat(violations(agents, "{model: m, env: [{name: OPENAI_BASE_URL, value: x}]}"))
                .containsExactly(KeyRules.ENV_MESSAGE);
        assertThat(violations(agents, "{model: m, env: [{name: JAVA_TOOL_OPTIONS, value: x}]}"))
                .containsExactly(KeyRules.ENV_MESSAGE);
        assertThat(violations(agents, "{model: m, apiKeys: {secretRef: {name: mine}}, env: [{name: OPENAI_BASE_URL, value: x}]}"))
                .isEmpty();
        assertThat(violations(agents, "{model: m, env: [{name: K, valueFrom: {secretKeyRef: {name: ark-operator.api-keys, key: k}}}]}"))
                .containsExactly(KeyRules.COPY_MESSAGE);
        assertThat(violations(agents, "{model: m, envFrom: [{secretRef: {name: ark-operator.api-keys}}]}"))
                .containsExactly(KeyRules.COPY_MESSAGE);
        JsonNode fields = specSchema(agents).path("properties");
        assertThat(violations(fields.path("apiKeys"), "{secretRef: {name: ark-operator.api-keys}}"))
                .containsExactly(KeyRules.COPY_MESSAGE);
        assertThat(violations(fields.path("systemPromptRef"), "{secretKeyRef: {name: ark-operator.api-keys, key: k}}"))
                .containsExactly(KeyRules.COPY_MESSAGE);
        assertThat(violations(fields.path("mcpServers").path("items").path("properties").path("headers").path("items"),
                "{name: A, secretKeyRef: {name: ark-operator.api-keys, key: k}}")).containsExactly(KeyRules.COPY_MESSAGE);

        JsonNode teams = crd("arkteams");
        assertThat(violations(teams, """
                roles: [{name: r, model: m, env: [{name: ANTHROPIC_API_KEY, value: x}]}]
                pipeline: [{role: r}]
                """)).containsExactly(KeyRules.ENV_MESSAGE);
        assertThat(violations(teams, """
                apiKeys: {secretRef: {name: team-keys}}
                roles: [{name: r, model: m, env: [{name: ANTHROPIC_API_KEY, value: x}]}]
                pipeline: [{role: r}]
                """)).as("the team's own keys").isEmpty();
        assertThat(violations(teams, """
                roles: [{name: r, model: m, apiKeys: {secretRef: {name: mine}}, env: [{name: ANTHROPIC_API_KEY, value: x}]}]
                pipeline: [{role: r}]
                """)).as("the role's own keys").isEmpty();
        JsonNode role = specSchema(teams).path("properties").path("roles").path("items");
        assertThat(violations(role, "{name: r, model: m, envFrom: [{secretRef: {name: ark-operator.api-keys}}]}"))
                .containsExactly(KeyRules.COPY_MESSAGE);
    }

    @Test
    void aRunNamesItsTeam() throws Exception {
        JsonNode crd = crd("arkruns");
        assertThat(violations(crd, "teamRef: {name: t}\n")).isEmpty();
        assertThat(violations(crd, "team: t\n")).isEmpty();
        assertThat(violations(crd, "input: {topic: x}\n")).containsExactly("set teamRef.name (or team)");
    }

    @Test
    void aCancelledRunStaysCancelledAndWhereItResumedFromNeverChanges() throws Exception {
        JsonNode crd = crd("arkruns");
        assertThat(violations(crd, "{team: t, cancel: true}", "{team: t}")).isEmpty();
        assertThat(violations(crd, "{team: t, suspend: false}", "{team: t, suspend: true}")).isEmpty();
        assertThat(violations(crd, "{team: t, cancel: false}", "{team: t, cancel: true}"))
                .containsExactly("a cancelled run stays cancelled");
        assertThat(violations(crd, "{team: t}", "{team: t, cancel: true}")).containsExactly("a cancelled run stays cancelled");
        assertThat(violations(crd, "{team: t, resumeFrom: {run: a, step: s}}")).isEmpty();
        assertThat(violations(crd, "{team: t, resumeFrom: {run: a, step: s}}", "{team: t, resumeFrom: {run: a, step: s}}"))
                .isEmpty();
        assertThat(violations(crd, "{team: t, resumeFrom: {run: b, step: s}}", "{team: t, resumeFrom: {run: a, step: s}}"))
                .containsExactly("resumeFrom is set when the run is created and never changes");
        assertThat(violations(crd, "{team: t, resumeFrom: {run: b, step: s}}", "{team: t}"))
                .containsExactly("resumeFrom is set when the run is created and never changes");
    }

    @Test
    void anApprovalStepHasANameAndNoRoleAndPassesTheTeamsRoleRule() throws Exception {
        JsonNode team = crd("arkteams");
        JsonNode step = specSchema(team).path("properties").path("pipeline").path("items");
        assertThat(violations(step, "{name: gate, approval: {message: ok}}")).isEmpty();
        assertThat(violations(step, "{approval: {message: ok}}")).containsExactly("an approval step needs a name");
        assertThat(violations(step, "{name: gate, role: r, approval: {}}")).containsExactly("set exactly one of role and approval");
        assertThat(violations(step, "{name: gate}")).containsExactly("set exactly one of role and approval");
        assertThat(violations(team, """
                roles: [{name: r, model: m}]
                pipeline: [{role: r}, {name: gate, approval: {timeout: 1h}, dependsOn: [r]}]
                """)).isEmpty();
    }

    @Test
    void agentsHaveScaleAndStatusSubresourcesPrinterColumnsAndAShortName() throws Exception {
        JsonNode crd = crd("arkagents");
        JsonNode version = version(crd);
        assertThat(version.path("subresources").path("scale").path("specReplicasPath").asText()).isEqualTo(".spec.replicas");
        assertThat(version.path("subresources").path("scale").path("statusReplicasPath").asText()).isEqualTo(".status.replicas");
        assertThat(version.path("subresources").has("status")).isTrue();
        assertThat(version.path("additionalPrinterColumns").findValuesAsText("name"))
                .containsExactlyInAnyOrder("Model", "Replicas", "Ready", "Desired", "Tokens(24h)", "Budget", "Age");
        assertThat(crd.path("spec").path("names").path("shortNames").get(0).asText()).isEqualTo("aagent");
        JsonNode limits = specSchema(crd).path("properties").path("limits").path("properties");
        assertThat(limits.path("maxDailyTokens").path("minimum").asDouble()).as("0 disables the budget").isZero();
        assertThat(limits.path("maxDailyTokens").has("default")).as("unset stays unset: the operator's default applies").isFalse();
        assertThat(limits.path("maxTokensPerCall").path("default").asInt()).isEqualTo(8000);
        assertThat(limits.path("maxConcurrentTasks").path("default").asInt()).isEqualTo(5);
        assertThat(limits.path("timeoutSeconds").path("default").asInt()).isEqualTo(120);
        assertThat(specSchema(crd).path("properties").path("replicas").path("default").asInt()).isEqualTo(1);
        assertThat(specSchema(crd).path("required").toString()).contains("model");
        assertThat(specSchema(crd).path("properties").path("provider").path("enum").toString())
                .isEqualTo("[\"anthropic\",\"mock\",\"openai\"]");
    }

    @Test
    void runsAndTeamsHaveStatusAndPrinterColumns() throws Exception {
        JsonNode run = version(crd("arkruns"));
        assertThat(run.path("subresources").has("status")).isTrue();
        assertThat(run.path("additionalPrinterColumns").findValuesAsText("name"))
                .containsExactly("Team", "Phase", "Steps", "Tokens", "Approval", "Suspended", "Started", "Completed", "Age");
        // kubectl get shows the same five columns as before; -o wide (and the dashboard's table of runs) the rest too
        assertThat(run.path("additionalPrinterColumns").findValuesAsText("priority"))
                .containsExactly("0", "0", "0", "0", "1", "1", "1", "1", "0");
        JsonNode steps = run.path("schema").path("openAPIV3Schema").path("properties").path("status")
                .path("properties").path("steps").path("items").path("properties");
        assertThat(steps.path("phase").path("enum").toString())
                .isEqualTo("[\"Cancelled\",\"Failed\",\"Pending\",\"Running\",\"Skipped\",\"Succeeded\",\"WaitingForApproval\",\"WarmingUp\"]");
        assertThat(steps.has("taskID")).isTrue();
        JsonNode team = crd("arkteams");
        assertThat(version(team).path("subresources").has("status")).isTrue();
        JsonNode teamSpec = specSchema(team).path("properties");
        assertThat(teamSpec.path("successfulRunsHistoryLimit").path("default").asInt()).isEqualTo(10);
        assertThat(teamSpec.path("failedRunsHistoryLimit").path("default").asInt()).isEqualTo(5);
        assertThat(teamSpec.path("pipeline").path("items").path("properties").path("validate").path("properties")
                .path("maxRetries").path("default").asInt()).isEqualTo(2);
        assertThat(teamSpec.path("notifyRef").path("required").toString()).isEqualTo("[\"name\"]");
        JsonNode loop = teamSpec.path("pipeline").path("items").path("properties").path("loop");
        assertThat(loop.path("required").toString()).isEqualTo("[\"condition\"]");
        assertThat(loop.path("properties").path("maxIterations").path("default").asInt()).isEqualTo(10);
        assertThat(loop.path("properties").path("maxIterations").path("minimum").asInt()).isEqualTo(1);
        assertThat(loop.path("properties").path("maxIterations").path("maximum").asInt()).isEqualTo(100);
    }

    @Test
    void eventsAcceptTheOriginalsShapesAndRejectWhatTheApiServerCanSee() throws Exception {
        JsonNode crd = crd("arkevents");
        JsonNode source = specSchema(crd).path("properties").path("source");
        assertThat(source.path("properties").path("type").path("enum").toString())
                .isEqualTo("[\"cron\",\"pipeline-output\",\"team-output\",\"webhook\"]");
        assertThat(specSchema(crd).path("required").toString()).isEqualTo("[\"source\",\"targets\"]");
        assertThat(specSchema(crd).path("properties").path("targets").path("minItems").asInt()).isEqualTo(1);
        assertThat(specSchema(crd).path("properties").path("concurrencyPolicy").path("enum").toString())
                .isEqualTo("[\"Allow\",\"Forbid\"]");
        assertThat(violations(source, """
                {type: cron, cron: "0 8 * * 1-5"}
                """)).isEmpty();
        assertThat(violations(source, "{type: cron}")).containsExactly("a cron source needs cron (5 fields)");
        assertThat(violations(source, "{type: pipeline-output}"))
                .containsExactly("a pipeline-output source needs pipelineOutput.name (the team to watch)");
        assertThat(violations(source, "{type: pipeline-output, pipelineOutput: {name: etl}}")).isEmpty();
        assertThat(violations(source, "{type: webhook}")).isEmpty();
        // kubectl shows the columns in the CRD's order; a future time in a date column reads "<invalid>"
        JsonNode columns = version(crd).path("additionalPrinterColumns");
        assertThat(columns.findValuesAsText("name"))
                .containsExactly("Type", "Suspended", "Fired", "Last Fired", "Next Fire", "Age");
        assertThat(columns.get(4).path("type").asText()).isEqualTo("string");
        assertThat(version(crd).path("subresources").has("status")).isTrue();
    }

    @Test
    void notifiesAcceptTheCookbooksShape() throws Exception {
        JsonNode crd = crd("arknotifies");
        JsonNode channel = specSchema(crd).path("properties").path("channel");
        assertThat(violations(channel, "{type: slack, slack: {webhookUrlSecretRef: {name: s, key: k}}}")).isEmpty();
        assertThat(violations(channel, "{type: slack}")).containsExactly("a slack channel needs slack.webhookUrlSecretRef");
        assertThat(violations(channel, "{type: webhook}")).containsExactly("a webhook channel needs webhook.urlSecretRef");
        assertThat(specSchema(crd).path("properties").path("events").path("items").path("properties").path("type")
                .path("enum").toString()).isEqualTo("[\"ApprovalRequested\",\"BudgetExceeded\",\"BudgetRestored\","
                + "\"StepFailed\",\"TeamFailed\",\"TeamSucceeded\",\"TeamTimedOut\"]");
        JsonNode rate = specSchema(crd).path("properties").path("rateLimiting").path("properties");
        assertThat(rate.path("windowSeconds").path("default").asInt()).isEqualTo(300);
        assertThat(rate.path("maxPerWindow").path("default").asInt()).isEqualTo(1);
        assertThat(version(crd).path("additionalPrinterColumns").findValuesAsText("name"))
                .containsExactly("Channel", "Sent", "Failed", "Last Delivery", "Age");
    }

    @Test
    void anMcpServersOAuthClientHasExactlyOneCredentialThatFitsItsMethod() throws Exception {
        for (String plural : List.of("arkteams", "arkagents")) {
            JsonNode mcp = plural.equals("arkteams")
                    ? specSchema(crd(plural)).path("properties").path("roles").path("items").path("properties").path("mcpServers")
                    : specSchema(crd(plural)).path("properties").path("mcpServers");
            JsonNode auth = mcp.path("items").path("properties").path("auth");
            JsonNode client = auth.path("properties").path("clientCredentials");
            assertThat(auth.path("required").toString()).isEqualTo("[\"clientCredentials\"]");
            assertThat(client.path("required").toString()).isEqualTo("[\"clientId\"]");
            assertThat(client.path("properties").path("tokenEndpointAuthMethod").path("enum").toString())
                    .isEqualTo("[\"client_secret_basic\",\"client_secret_post\",\"private_key_jwt\"]");
            assertThat(violations(client, "{clientId: ark, clientSecretRef: {name: s, key: k}}")).isEmpty();
            assertThat(violations(client, "{clientId: ark, privateKeyRef: {name: s, key: k}, tokenEndpointAuthMethod: private_key_jwt}"))
                    .isEmpty();
            assertThat(violations(client, "{clientId: ark, clientSecretRef: {name: s, key: k}, tokenEndpointAuthMethod: client_secret_post}"))
                    .isEmpty();
            assertThat(violations(client, "{clientId: ark}")).containsExactly("set exactly one of clientSecretRef and privateKeyRef");
            assertThat(violations(client, "{clientId: ark, clientSecretRef: {name: s, key: k}, privateKeyRef: {name: s, key: p}}"))
                    .containsExactly("set exactly one of clientSecretRef and privateKeyRef");
            assertThat(violations(client, "{clientId: ark, clientSecretRef: {name: s, key: k}, tokenEndpointAuthMethod: private_key_jwt}"))
                    .containsExactly("private_key_jwt signs with privateKeyRef; client_secret_basic and client_secret_post "
                            + "send clientSecretRef");
        }
    }
}
