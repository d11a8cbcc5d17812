package dev.arkonis.ark.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TeamValidatorTest {
    private final TeamValidator validator = new TeamValidator(new JsonSchemas());

    private List<String> errors(String specYaml) {
        return validator.validate(Teams.spec(specYaml)).errors().stream().map(Problem::toString).toList();
    }

    static Stream<Path> examples() throws IOException {
        return Files.list(Path.of("examples")).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleIsValid(Path example) throws IOException {
        TeamFile file = new TeamFileLoader().load(Files.readString(example));
        assertThat(file.problems()).isEmpty();
        for (TeamDocument team : file.teams()) {
            assertThat(team.readProblems()).isEmpty();
            assertThat(validator.validate(team.spec()).errors()).isEmpty();
        }
    }

    @Test
    void aCycleIsNamedAsAPath() {
        assertThat(errors("""
                roles: [{name: r, model: m}]
                pipeline:
                  - {name: start, role: r}
                  - {name: a, role: r, dependsOn: [start, b]}
                  - {name: b, role: r, dependsOn: [a]}
                """)).containsExactly("spec.pipeline[1].dependsOn: dependency cycle a -> b -> a");
    }

    @Test
    void aRoleWithTheOrganisationsKeySetsNoProviderVariableAndNothingReadsArksCopyOfIt() {
        String copy = "Secret ark-operator.api-keys is ark's copy of the organisation's API keys; no field of a team or"
                + " agent may read it (name your own Secret in apiKeys.secretRef)";
        assertThat(errors("""
                roles:
                  - name: r
                    model: m
                    env:
                      - {name: OPENAI_BASE_URL, value: "http://mine:8080/v1"}
                      - {name: JAVA_TOOL_OPTIONS, value: "-Djdk.httpclient.HttpClient.log=headers"}
                      - {name: K, valueFrom: {secretKeyRef: {name: ark-operator.api-keys, key: OPENAI_API_KEY}}}
                    envFrom: [{secretRef: {name: ark-operator.api-keys}}]
                    systemPromptRef: {secretKeyRef: {name: ark-operator.api-keys, key: OPENAI_API_KEY}}
                    mcpServers:
                      - {name: s, url: "http://s", headers: [{name: A, secretKeyRef: {name: ark-operator.api-keys, key: K}}]}
                pipeline: [{role: r}]
                """)).containsExactly(
                "spec.roles[0].env[0].name: OPENAI_BASE_URL is a provider setting: without apiKeys.secretRef this role"
                        + " runs with the organisation's API key, which goes only to the organisation's endpoint; put your"
                        + " own key and endpoint in a Secret of this namespace and name it in apiKeys.secretRef",
                "spec.roles[0].env[1].name: JAVA_TOOL_OPTIONS sets options of the agent's JVM, which could make it log or"
                        + " send the organisation's API key elsewhere; it is allowed only beside your own keys"
                        + " (apiKeys.secretRef)",
                "spec.roles[0].env[2].valueFrom.secretKeyRef.name: " + copy,
                "spec.roles[0].envFrom[0].secretRef.name: " + copy,
                "spec.roles[0].systemPromptRef.secretKeyRef.name: " + copy,
                "spec.roles[0].mcpServers[0].headers[0].secretKeyRef.name: " + copy);
    }

    @Test
    void withItsOwnKeysOrItsTeamsARoleMaySetItsEndpointButNeverNameArksCopy() {
        assertThat(errors("""
                roles:
                  - {name: r, model: m, apiKeys: {secretRef: {name: my-keys}}, env: [{name: OPENAI_BASE_URL, value: "http://mine/v1"}]}
                pipeline: [{role: r}]
                """)).isEmpty();
        assertThat(errors("""
                apiKeys: {secretRef: {name: team-keys}}
                roles:
                  - {name: r, model: m, env: [{name: ANTHROPIC_BASE_URL, value: "http://mine"}, {name: JAVA_TOOL_OPTIONS, value: "-Xss1m"}]}
                pipeline: [{role: r}]
                """)).isEmpty();
        assertThat(errors("""
                apiKeys: {secretRef: {name: ark-operator.api-keys}}
                roles:
                  - {name: r, model: m, apiKeys: {secretRef: {name: ark-operator.api-keys}}}
                pipeline: [{role: r}]
                """)).containsExactly(
                "spec.apiKeys.secretRef.name: Secret ark-operator.api-keys is ark's copy of the organisation's API keys;"
                        + " no field of a team or agent may read it (name your own Secret in apiKeys.secretRef)",
                "spec.roles[0].apiKeys.secretRef.name: Secret ark-operator.api-keys is ark's copy of the organisation's"
                        + " API keys; no field of a team or agent may read it (name your own Secret in apiKeys.secretRef)");
    }

    @Test
    void unknownRoleAndUnknownOrSelfDependency() {
        assertThat(errors("""
                roles: [{name: writer, model: m}]
                pipeline:
                  - {name: one, role: writre}
                  - {name: two, role: writer, dependsOn: [onee, two]}
                """)).containsExactly(
                "spec.pipeline[1].dependsOn[0]: unknown step \"onee\" (steps: one, two)",
                "spec.pipeline[1].dependsOn[1]: step \"two\" depends on itself",
                "spec.pipeline[0].role: unknown role \"writre\" (roles: writer)");
    }

    @Test
    void duplicateRolesAndSteps() {
        assertThat(errors("""
                roles: [{name: r, model: m}, {name: r, model: m2}]
                pipeline:
                  - {role: r}
                  - {role: r}
                """)).containsExactly(
                "spec.roles[1].name: duplicate role name \"r\" (also spec.roles[0])",
                "spec.pipeline[1].name: duplicate step name \"r\" (also spec.pipeline[0]; a step's name defaults to its role)");
    }

    @Test
    void templatesMayReadOnlyDeclaredInputsAndAncestorSteps() {
        assertThat(errors("""
                inputs: [{name: topic}]
                roles: [{name: r, model: m}]
                pipeline:
                  - name: a
                    role: r
                    inputs: {prompt: "{{ .input.topc }}"}
                  - name: b
                    role: r
                    inputs: {prompt: "{{ .steps.c.output }} {{ .steps.nope.output }}"}
                  - name: c
                    role: r
                    dependsOn: [a]
                    inputs: {prompt: "{{ .steps.a.outptu }} {{ .other }}"}
                output: "{{ .steps.b.output }}"
                """)).containsExactly(
                "spec.pipeline[0].inputs.prompt: references undeclared input \"topc\" (inputs: topic)",
                "spec.pipeline[1].inputs.prompt: references step \"c\" which is not an ancestor of \"b\" (add it to dependsOn)",
                "spec.pipeline[1].inputs.prompt: references unknown step \"nope\"",
                "spec.pipeline[2].inputs.prompt: unknown field \"outptu\" of step \"a\" (use output, data, phase or iteration)",
                "spec.pipeline[2].inputs.prompt: unknown field \".other\" (templates read .input and .steps)");
    }

    @Test
    void ancestorsAreTransitive() {
        assertThat(errors("""
                roles: [{name: r, model: m}]
                pipeline:
                  - {name: a, role: r}
                  - {name: b, role: r, dependsOn: [a]}
                  - name: c
                    role: r
                    dependsOn: [b]
                    if: "{{ .steps.a.output }}"
                    inputs: {prompt: "{{ .steps.a.data.x }}"}
                """)).isEmpty();
    }

    @Test
    void templateSyntaxErrorsAndUnknownFunctions() {
        List<String> errors = errors("""
                roles: [{name: r, model: m}]
                pipeline:
                  - role: r
                    inputs:
                      prompt: "{{ .input.x "
                      other: "{{ shout .input }}"
                """);
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith("spec.pipeline[0].inputs.prompt: ");
        assertThat(errors.get(1)).startsWith("spec.pipeline[0].inputs.other: ").contains("function \"shout\" not defined");
    }

    @Test
    void invalidJsonSchemas() {
        List<String> errors = errors("""
                roles: [{name: r, model: m}]
                pipeline:
                  - name: a
                    role: r
                    outputSchema: '{"type": "strin"}'
                  - name: b
                    role: r
                    validate: {schema: 'not json'}
                  - name: c
                    role: r
                    outputSchema: '[1, 2]'
                """);
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0)).startsWith("spec.pipeline[0].outputSchema: not a valid JSON Schema: /type: ");
        assertThat(errors.get(1)).startsWith("spec.pipeline[1].validate.schema: not valid JSON");
        assertThat(errors.get(2)).isEqualTo("spec.pipeline[2].outputSchema: a JSON Schema must be an object");
    }

    @Test
    void regexesLimitsAndEmptyPipeline() {
        assertThat(errors("""
                roles: [{name: R, model: m, limits: {maxConcurrentTasks: 0, maxDailyTokens: -1}}]
                pipeline: []
                timeoutSeconds: 0
                """)).containsExactly(
                "spec.roles[0].name: \"R\" must be lowercase letters, digits and '-', at most 40 characters",
                "spec.roles[0].limits.maxConcurrentTasks: must be at least 1, found 0",
                "spec.roles[0].limits.maxDailyTokens: must not be negative, found -1",
                "spec.pipeline: at least one step is required",
                "spec.timeoutSeconds: must be at least 1, found 0");
        assertThat(errors("""
                roles: [{name: r, model: m}]
                pipeline:
                  - role: r
                    validate: {contains: "([a-z", rejectPatterns: ["ok", "*bad"]}
                """)).containsExactly(
                "spec.pipeline[0].validate.contains: invalid regular expression: Unclosed character class",
                "spec.pipeline[0].validate.rejectPatterns[1]: invalid regular expression: Dangling meta character '*'");
    }

    @Test
    void inputDefaultsMustFitTheirType() {
        assertThat(errors("""
                inputs:
                  - {name: n, type: integer, default: "three"}
                  - {name: n, type: string}
                roles: [{name: r, model: m}]
                pipeline: [{role: r}]
                """)).containsExactly(
                "spec.inputs[0].default: expected an integer, found a string (\"three\")",
                "spec.inputs[1].name: duplicate input \"n\" (also spec.inputs[0])");
    }

    @Test
    void fieldsOfTheOriginalsModesAreCheckedNotWarnedAbout() {
        Validation validation = validator.validate(Teams.spec("""
                notifyRef: {name: slack}
                autoscaling: {enabled: true, scaleToZero: {enabled: true, afterSeconds: 300}}
                roles:
                  - {name: r, model: m, canDelegate: [helper], settingsRefs: [{name: base}],
                     capabilities: [{id: research.web, tags: [web]}]}
                  - {name: helper, model: m, autoscaling: {enabled: true}}
                pipeline:
                  - role: r
                    loop: {condition: "{{ lt (len .steps.r.output) 10 }}", maxIterations: 3}
                    validate: {semantic: "is it good?"}
                """));
        assertThat(validation.errors()).isEmpty();
        assertThat(validation.warnings()).isEmpty();
        assertThat(errors("""
                autoscaling: {enabled: true, scaleToZero: {enabled: true, afterSeconds: 0}}
                roles: [{name: r, model: m, capabilities: [{id: a}, {id: a}, {description: no id}], settingsRefs: [{name: ""}]}]
                pipeline: [{role: r}]
                """)).containsExactly(
                "spec.roles[0].settingsRefs[0].name: required: an ArkSettings of the namespace",
                "spec.roles[0].capabilities[1].id: duplicate capability \"a\"",
                "spec.roles[0].capabilities[2].id: required",
                "spec.autoscaling.scaleToZero.afterSeconds: must be at least 1, found 0");
    }

    @Test
    void aSemanticCheckIsSupportedAndItsJudgeRoleMustExist() {
        Validation validation = validator.validate(Teams.spec("""
                roles: [{name: r, model: m}, {name: critic, model: m}]
                pipeline:
                  - {role: r, validate: {semantic: "is it good?", judgeRole: critic}}
                  - {role: critic, name: second, validate: {semantic: "is it short?", judgeRole: critick}}
                """));
        assertThat(validation.warnings()).isEmpty();
        assertThat(validation.errors()).extracting(Problem::toString).containsExactly(
                "spec.pipeline[1].validate.judgeRole: unknown role \"critick\" (roles: r, critic)");
    }

    @Test
    void aDynamicTeamIsValidAndEachOfItsMistakesIsNamed() {
        // the shape of the original's dynamic mode: an entry role that delegates, no pipeline
        assertThat(validator.validate(Teams.spec("""
                entry: coordinator
                inputs: [{name: message, required: true}]
                roles:
                  - {name: coordinator, model: m, canDelegate: [billing, technical]}
                  - {name: billing, model: m, replicas: 3, canDelegate: [technical]}
                  - {name: technical, model: m}
                output: "{{ .steps.coordinator.output }} ({{ .input.message }})"
                """)).errors()).isEmpty();
        assertThat(errors("""
                roles:
                  - {name: coordinator, model: m, canDelegate: [billing, accounting, coordinator]}
                  - {name: billing, model: m}
                """)).containsExactly(
                "spec.roles[0].canDelegate[1]: delegate target \"accounting\" is not a role of this team (roles: coordinator, billing)",
                "spec.roles[0].canDelegate[2]: role \"coordinator\" cannot delegate to itself",
                "spec.entry: required in dynamic mode (roles that canDelegate, no pipeline): the role that takes each run's task");
        assertThat(errors("""
                entry: lead
                inputs: [{name: count, type: integer}]
                roles: [{name: coordinator, model: m}]
                output: "{{ .steps.billing.output }}"
                """)).containsExactly(
                "spec.entry: unknown role \"lead\" (roles: coordinator)",
                "spec.inputs: a dynamic team's task is its first string input; declare one",
                "spec.output: references unknown step \"billing\"");
    }

    @Test
    void aRoutedTeamNeedsARegistryAndARouterModelAndNoPipeline() {
        // the shape of the original's routed mode: routing, no roles, no pipeline, no inputs declared
        Validation routed = validator.validate(Teams.spec("""
                routing: {registryRef: {name: ops-registry}, model: m, fallback: general}
                timeoutSeconds: 600
                output: "{{ .steps.route.output }} for {{ .input.task }}"
                """));
        assertThat(routed.errors()).isEmpty();
        assertThat(routed.warnings()).isEmpty();
        assertThat(errors("""
                routing: {registryRef: {name: ""}, model: ""}
                entry: r
                roles: [{name: r, model: m}]
                pipeline: [{role: r}]
                """)).containsExactly(
                "spec.routing.registryRef.name: required: the ArkRegistry the router chooses from",
                "spec.routing.model: required: the model of the router call",
                "spec.pipeline: a routed team (spec.routing) has no pipeline: the agent the router chooses does the whole task",
                "spec.entry: a routed team (spec.routing) has no entry role");
    }

    @Test
    void aRegistryLookupStepNeedNotNameARoleOfTheTeam() {
        Validation validation = validator.validate(Teams.spec("""
                roles: [{name: editor, model: m}]
                pipeline:
                  - role: researcher
                    registryLookup: {capability: research.academic, tags: [deep], strategy: least-busy, fallback: general}
                  - role: writer
                    dependsOn: [researcher]
                    registryLookup: {capability: write.article, strategy: round-robin}
                    inputs: {prompt: "{{ .steps.researcher.output }}"}
                  - {role: editor, dependsOn: [writer], inputs: {prompt: "{{ .steps.writer.output }}"}}
                  - {role: nobody, name: last, dependsOn: [editor]}
                """));
        assertThat(validation.errors()).extracting(Problem::toString).containsExactly(
                "spec.pipeline[3].role: unknown role \"nobody\" (roles: editor)");
        assertThat(errors("""
                roles: [{name: r, model: m}]
                pipeline: [{role: x, registryLookup: {capability: "", fallback: ""}}]
                """)).containsExactly(
                "spec.pipeline[0].registryLookup.capability: required: the capability the step's agent must have",
                "spec.pipeline[0].registryLookup.fallback: must name an ArkAgent");
    }

    @Test
    void stepNamesMustFitTaskIdsAndKeys() {
        assertThat(errors("""
                roles: [{name: r, model: m}]
                pipeline:
                  - {role: r, name: "first step"}
                  - {role: r, name: "a/b"}
                  - {role: r, name: ok_name-2}
                """)).containsExactly(
                "spec.pipeline[0].name: \"first step\" must be at most 63 letters, digits, '-' or '_' (step names become part of task ids and Redis keys)",
                "spec.pipeline[1].name: \"a/b\" must be at most 63 letters, digits, '-' or '_' (step names become part of task ids and Redis keys)");
    }

    @Test
    void aLoopStepMayReadItselfAndItsConditionIsChecked() {
        assertThat(errors("""
                roles: [{name: r, model: m}]
                pipeline:
                  - name: a
                    role: r
                    inputs: {prompt: "{{ .steps.b.output }}"}
                  - name: b
                    role: r
                    dependsOn: [a]
                    inputs: {prompt: "again: {{ .steps.b.output }} ({{ .steps.b.iteration }})"}
                    loop: {condition: "{{ .steps.b.data.more }}"}
                  - name: c
                    role: r
                    dependsOn: [b]
                    inputs: {prompt: "{{ .steps.c.output }}"}
                    loop: {condition: "{{ .steps.a.outptu }} {{ .steps.nope }}", maxIterations: 101}
                  - name: d
                    role: r
                    loop: {condition: ""}
                """)).containsExactly(
                "spec.pipeline[0].inputs.prompt: references step \"b\" which is not an ancestor of \"a\" (add it to dependsOn)",
                "spec.pipeline[2].loop.condition: unknown field \"outptu\" of step \"a\" (use output, data, phase or iteration)",
                "spec.pipeline[2].loop.condition: references unknown step \"nope\"",
                "spec.pipeline[2].loop.maxIterations: must be from 1 to 100, found 101",
                "spec.pipeline[3].loop.condition: required: a template rendered after each iteration");
    }

    private List<String> warnings(String specYaml) {
        return validator.validate(Teams.spec(specYaml)).warnings().stream().map(Problem::toString).toList();
    }

    @Test
    void anMcpServersOAuthClientIsCheckedAsTheAgentWouldFindIt() {
        assertThat(errors("""
                roles:
                  - name: r
                    model: m
                    mcpServers:
                      - name: wiki
                        url: https://wiki.example.com/mcp
                        auth:
                          clientCredentials:
                            clientId: ark
                            clientSecretRef: {name: wiki-oauth, key: secret}
                            scopes: [wiki.read]
                            authorizationServer: https://login.example.com/realms/corp
                      - name: jira
                        url: https://jira.example.com/mcp
                        auth:
                          clientCredentials:
                            clientId: ark
                            privateKeyRef: {name: jira-oauth, key: key.pem}
                            tokenEndpointAuthMethod: private_key_jwt
                pipeline: [{role: r}]
                """)).isEmpty();
        assertThat(errors("""
                roles:
                  - name: r
                    model: m
                    mcpServers:
                      - name: a
                        url: wiki.example.com/mcp
                        auth:
                          clientCredentials:
                            clientSecretRef: {name: s, key: k}
                            privateKeyRef: {name: s}
                      - name: b
                        url: https://b.example.com/mcp
                        auth:
                          clientCredentials:
                            clientId: ark
                            clientSecretRef: {name: s, key: k}
                            tokenEndpointAuthMethod: private_key_jwt
                            authorizationServer: http://login.example.com
                      - name: c
                        url: https://c.example.com/mcp
                        auth: {}
                pipeline: [{role: r}]
                """)).containsExactly(
                "spec.roles[0].mcpServers[0].url: must be an absolute http(s) URL",
                "spec.roles[0].mcpServers[0].auth.clientCredentials.clientId: required",
                "spec.roles[0].mcpServers[0].auth.clientCredentials: set exactly one of clientSecretRef and privateKeyRef",
                "spec.roles[0].mcpServers[0].auth.clientCredentials.privateKeyRef: needs the Secret's name and key",
                "spec.roles[0].mcpServers[1].auth.clientCredentials.tokenEndpointAuthMethod: private_key_jwt signs with "
                        + "privateKeyRef; client_secret_basic and client_secret_post send clientSecretRef",
                "spec.roles[0].mcpServers[1].auth.clientCredentials.authorizationServer: must be https: client credentials "
                        + "go over plain HTTP only to this machine",
                "spec.roles[0].mcpServers[2].auth.clientCredentials: required");
    }

    @Test
    void tokensForAPlainHttpServerElsewhereAreAWarning() {
        String team = """
                roles:
                  - name: r
                    model: m
                    mcpServers:
                      - name: far
                        url: http://search.internal:8080/mcp
                        auth: {clientCredentials: {clientId: ark, clientSecretRef: {name: s, key: k}}}
                      - name: near
                        url: http://127.0.0.1:8080/mcp
                        auth: {clientCredentials: {clientId: ark, clientSecretRef: {name: s, key: k}}}
                pipeline: [{role: r}]
                """;
        assertThat(errors(team)).isEmpty();
        assertThat(warnings(team)).containsExactly(
                "spec.roles[0].mcpServers[0].url: the server's tokens would cross the network unencrypted: use https");
    }
}
