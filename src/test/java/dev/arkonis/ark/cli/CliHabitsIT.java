package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.arkonis.ark.llm.StubHttpServer;
import dev.arkonis.ark.llm.StubHttpServer.Reply;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI as people use it, through the packaged jar: flags, formats, errors that say what happened. */
class CliHabitsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEAM = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: %s}
            spec:
            %s
            """;

    private static Path team(Path dir, String name, String specYaml) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, TEAM.formatted(name, specYaml.indent(2)));
        return file;
    }

    // ---- -o / --output, --output-file, old spellings ----

    @Test
    void dashOJsonPrintsOneDocumentAndWritesNoFileNamedJson(@TempDir Path dir) throws Exception {
        ArkProcess.Result run = ArkProcess.run(ArkProcess.Options.defaults().in(dir), "run",
                Path.of("examples/linear.yaml").toAbsolutePath().toString(), "--provider", "mock", "-o", "json");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(JSON.readTree(run.stdout()).path("phase").asText()).isEqualTo("Succeeded");
        assertThat(dir.resolve("json")).doesNotExist();
        assertThat(run.stderr()).doesNotContain("warning");
    }

    @Test
    void dashOYamlIsTheSameDocumentAsYaml() throws Exception {
        ArkProcess.Result run = ArkProcess.run("run", "examples/diamond.yaml", "--provider", "mock", "--output", "yaml",
                "--input", "product=a kettle");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(run.stdout());
        assertThat(doc.path("team").asText()).isEqualTo("market-analysis");
        assertThat(doc.path("steps")).hasSize(4);
        assertThat(doc.path("steps").get(0).path("attemptLog").get(0).path("rawOutput").asText()).startsWith("mock answer");
    }

    @Test
    void theOldSpellingsStillWorkWithAWarning(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out.txt");
        ArkProcess.Result run = ArkProcess.run("run", "examples/linear.yaml", "--provider", "mock", "--format", "json",
                "--output", file.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("warning: --format is now -o/--output (as in kubectl): use -o json",
                "warning: --output <file> is now --output-file <file>");
        assertThat(Files.readString(file)).isEqualTo(JSON.readTree(run.stdout()).path("output").asText());
    }

    @Test
    void anOutputFileThatCannotBeWrittenStopsTheRunBeforeItStarts(@TempDir Path dir) throws Exception {
        ArkProcess.Result run = ArkProcess.run("run", "examples/linear.yaml", "--provider", "mock", "--watch",
                "--output-file", dir.resolve("missing/out.txt").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("error: --output-file " + dir.resolve("missing/out.txt") + ": directory "
                + dir.resolve("missing") + " does not exist");
        assertThat(run.stdout()).as("nothing ran").doesNotContain("Running");
    }

    // ---- flags checked at the door ----

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "500ms", "2147483648", "ten", "5x"})
    void aBadTimeoutIsRefusedWithExitTwo(String timeout) throws Exception {
        ArkProcess.Result run = ArkProcess.run("run", "examples/linear.yaml", "--provider", "mock", "--timeout", timeout);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--timeout").contains(timeout).contains("see 'ark run --help'")
                .doesNotContain("Usage:");
        assertThat(run.stderr().lines().count()).isLessThanOrEqualTo(3);
    }

    @Test
    void goStyleTimeoutsAndAPositiveTokenBudgetAreAccepted() throws Exception {
        assertThat(ArkProcess.run("run", "examples/linear.yaml", "--provider", "mock", "--timeout", "1h30m").exitCode())
                .isZero();
        for (String bad : new String[] {"0", "-1", "many"}) {
            ArkProcess.Result run = ArkProcess.run("run", "examples/linear.yaml", "--provider", "mock", "--max-tokens", bad);
            assertThat(run.exitCode()).as(bad).isEqualTo(2);
            assertThat(run.stderr()).as(bad).contains("--max-tokens");
        }
    }

    @Test
    void aUsageErrorIsOneLineAndWhereHelpIs() throws Exception {
        ArkProcess.Result run = ArkProcess.run("run", "examples/linear.yaml", "--provdier", "mock");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).startsWith("error: Unknown options: '--provdier', 'mock'").contains("--provider")
                .contains("see 'ark run --help'").doesNotContain("Usage:");
        ArkProcess.Result typo = ArkProcess.run("vaildate", "examples/linear.yaml");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.stderr()).contains("validate").contains("see 'ark --help'");
    }

    // ---- ark validate ----

    @Test
    void validateListsEveryTypeErrorWithItsPathAndNoFalseOnes(@TempDir Path dir) throws Exception {
        Path file = team(dir, "typos", """
                timeoutSeconds: "ten minutes"
                roles:
                  - name: writer
                    model: gpt-4o
                    replicas: many
                    provider: mistral
                pipeline:
                  - role: writer
                    inputs: {prompt: hi}
                """);
        ArkProcess.Result result = ArkProcess.run("validate", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains(
                "error: team typos: spec.timeoutSeconds: expected an integer, got \"ten minutes\" (line 5)",
                "error: team typos: spec.roles[0].replicas: expected an integer, got \"many\" (line 9)",
                "error: team typos: spec.roles[0].provider: expected one of openai, anthropic, azure, gemini, mock, got \"mistral\" (line 10)");
        assertThat(result.stderr()).doesNotContain("at least one", "Cannot deserialize", "Exception");
        assertThat(result.stdout()).contains("team typos is invalid: 3 problem(s)");
    }

    @Test
    void validateReportsDuplicateKeys(@TempDir Path dir) throws Exception {
        Path file = team(dir, "dupes", """
                roles:
                  - {name: w, model: gpt-4o}
                pipeline:
                  - role: w
                    inputs: {prompt: one}
                    inputs: {prompt: two}
                """);
        ArkProcess.Result result = ArkProcess.run("validate", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("spec.pipeline[0].inputs: duplicate key \"inputs\" at line 10 (first at line 9)");
    }

    @Test
    void validateTakesSeveralFilesDirectoriesAndStdinAndPrintsJsonForMachines(@TempDir Path dir) throws Exception {
        Path broken = team(dir, "broken", "roles: [{name: w, model: gpt-4o}]\npipeline: [{role: nobody}]");
        ArkProcess.Result several = ArkProcess.run(ArkProcess.Options.defaults()
                        .withStdin(Files.readString(Path.of("examples/linear.yaml"))),
                "validate", "examples", broken.toString(), "-");
        assertThat(several.exitCode()).isEqualTo(2);
        assertThat(several.stdout()).contains("examples/conditional.yaml: team release-notes is valid",
                "examples/structured.yaml: team ticket-triage is valid", "<stdin>: team blog-writer is valid",
                broken + ": team broken is invalid: 1 problem(s)");
        assertThat(several.stderr()).contains("error: " + broken + ": team broken: spec.pipeline[0].role: unknown role \"nobody\"");

        ArkProcess.Result json = ArkProcess.run("validate", "examples", broken.toString(), "-o", "json");
        JsonNode doc = JSON.readTree(json.stdout());
        assertThat(doc.path("valid").asBoolean()).isFalse();
        long examples;
        try (var files = Files.list(Path.of("examples"))) {
            examples = files.filter(f -> f.toString().endsWith(".yaml")).count();
        }
        assertThat(doc.path("files")).hasSize((int) examples + 1);
        JsonNode last = doc.path("files").get((int) examples);
        assertThat(last.path("teams").get(0).path("errors").get(0).path("path").asText()).isEqualTo("spec.pipeline[0].role");
        assertThat(ArkProcess.run("validate", "examples", "-o", "json").exitCode()).isZero();
    }

    // ---- dynamic and routed teams, which older versions refused ----

    @Test
    void dynamicAndRoutedTeamsValidateAndRun(@TempDir Path dir) throws Exception {
        Path dynamic = team(dir, "support", """
                entry: coordinator
                roles:
                  - name: coordinator
                    model: qwen2.5:7b
                    canDelegate: [billing, technical]
                  - {name: billing, model: qwen2.5:7b, replicas: 3}
                  - {name: technical, model: qwen2.5:7b}
                """);
        Path routed = dir.resolve("router.yaml");
        Files.writeString(routed, """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRegistry
                metadata: {name: ops-registry}
                spec: {scope: namespace-scoped}
                ---
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: ops-router}
                spec:
                  routing: {registryRef: {name: ops-registry}, model: qwen2.5:7b, fallback: general-assistant}
                  timeoutSeconds: 600
                """);
        ArkProcess.Result valid = ArkProcess.run("validate", dynamic.toString());
        assertThat(valid.exitCode()).as(valid.stderr()).isZero();
        assertThat(valid.stdout()).contains("team support is valid: dynamic mode, entry role coordinator, 3 role(s)");
        ArkProcess.Result run = ArkProcess.run("run", dynamic.toString(), "--provider", "mock", "-o", "json",
                "--input", "task=[mock:delegate billing refund invoice 42] I was charged twice");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run.stdout());
        assertThat(doc.path("phase").asText()).isEqualTo("Succeeded");
        assertThat(doc.path("steps").findValuesAsText("name")).contains("coordinator", "billing-1");
        assertThat(doc.path("output").asText()).contains("[tool delegate] mock answer to: refund invoice 42");

        ArkProcess.Result routedValid = ArkProcess.run("validate", routed.toString());
        assertThat(routedValid.exitCode()).as(routedValid.stderr()).isZero();
        assertThat(routedValid.stdout()).contains(
                "team ops-router is valid: routed mode, registry ops-registry, fallback general-assistant");
        // a registry that indexes nothing and a fallback that is not there: the run fails and says both
        ArkProcess.Result routedRun = ArkProcess.run("run", routed.toString(), "--provider", "mock");
        assertThat(routedRun.exitCode()).isEqualTo(1);
        assertThat(routedRun.stderr()).contains("step route failed: routing: the registry indexes no capabilities, "
                + "and the fallback ArkAgent \"general-assistant\" was not found");
    }

    // ---- .data of a non-JSON output ----

    @Test
    void readingDataOfATextOutputSaysTheOutputIsNotJson(@TempDir Path dir) throws Exception {
        Path file = team(dir, "notjson", """
                roles: [{name: r, model: m}]
                pipeline:
                  - {name: facts, role: r, inputs: {prompt: "list facts"}}
                  - {name: use, role: r, dependsOn: [facts], inputs: {prompt: "{{ .steps.facts.data.points }}"}}
                """);
        ArkProcess.Result run = ArkProcess.run("run", file.toString(), "--provider", "mock");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("step use failed: inputs: step facts's output is not JSON, so .steps.facts.data "
                + "has nothing to read (it begins: \"mock answer to: list facts\")");
    }

    // ---- system prompts from ConfigMaps, Secrets and files ----

    @Test
    void systemPromptRefIsReadFromTheFileOrFromPromptFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("refs.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: prompts}
                data: {writer: "You write in haiku."}
                ---
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: refs}
                spec:
                  roles:
                    - name: writer
                      model: gpt-4o
                      systemPromptRef: {configMapKeyRef: {name: prompts, key: writer}}
                    - name: editor
                      model: gpt-4o
                      systemPromptRef: {secretKeyRef: {name: editor-prompt, key: text}}
                  pipeline:
                    - {role: writer, inputs: {prompt: write}}
                    - {role: editor, dependsOn: [writer], inputs: {prompt: edit}}
                """);
        ArkProcess.Result missing = ArkProcess.run("run", file.toString(), "--provider", "mock");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("error: team refs: role editor: systemPromptRef secretKeyRef editor-prompt/text: "
                + "no Secret \"editor-prompt\" in the file; add the Secret to the file, or pass --prompt-file editor=<path>");

        Path editorPrompt = dir.resolve("editor.txt");
        Files.writeString(editorPrompt, "You cut every sentence in half.");
        ArkProcess.Result dry = ArkProcess.run("run", file.toString(), "--dry-run", "-o", "json",
                "--prompt-file", "editor=" + editorPrompt);
        assertThat(dry.exitCode()).as(dry.stderr()).isZero();
        JsonNode steps = JSON.readTree(dry.stdout()).path("steps");
        assertThat(steps.get(0).path("systemPrompt").asText()).isEqualTo("You write in haiku.");
        assertThat(steps.get(1).path("systemPrompt").asText()).isEqualTo("You cut every sentence in half.");
        assertThat(ArkProcess.run("run", file.toString(), "--provider", "mock", "--prompt-file", "editor=" + editorPrompt)
                .exitCode()).isZero();
    }

    // ---- --dry-run ----

    @Test
    void aDryRunPrintsEveryRenderedPromptInOrderWithoutAnyKey() throws Exception {
        ArkProcess.Result dry = ArkProcess.run("run", "examples/conditional.yaml", "--dry-run", "--input", "version=2.0");
        assertThat(dry.exitCode()).as(dry.stderr()).isZero();
        String text = dry.stdout();
        assertThat(text).contains("dry run of team release-notes: 3 step(s); no model is called",
                "Draft release notes for version 2.0.", "if: ", "→ false, Skipped");
        assertThat(text.indexOf("1. drafter")).isLessThan(text.indexOf("2. reviewer")).isLessThan(text.indexOf("3. publisher"));
        assertThat(dry.stderr()).doesNotContain("API_KEY");
    }

    @Test
    void aDryRunAsJsonTakesUpstreamOutputsFromAFile(@TempDir Path dir) throws Exception {
        Path outputs = dir.resolve("outputs.json");
        Files.writeString(outputs, "{\"researcher\": \"Redis streams are append-only logs.\"}");
        ArkProcess.Result dry = ArkProcess.run("run", "examples/linear.yaml", "--dry-run", "-o", "json",
                "--outputs", outputs.toString());
        assertThat(dry.exitCode()).as(dry.stderr()).isZero();
        JsonNode doc = JSON.readTree(dry.stdout());
        assertThat(doc.path("dryRun").asBoolean()).isTrue();
        assertThat(doc.path("steps").get(0).path("outputSource").asText()).isEqualTo("given");
        assertThat(doc.path("steps").get(1).path("prompt").asText()).contains("Redis streams are append-only logs.");
        assertThat(doc.path("steps").get(1).path("outputSource").asText()).isEqualTo("mock");

        Files.writeString(outputs, "{\"nobody\": \"x\"}");
        ArkProcess.Result wrong = ArkProcess.run("run", "examples/linear.yaml", "--dry-run", "--outputs", outputs.toString());
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.stderr()).contains("no step \"nobody\" in the pipeline (steps: researcher, writer, editor)");
    }

    // ---- the mock for watching ----

    @Test
    void mockLatencyComesFromTheFlagOrTheRolesEnv(@TempDir Path dir) throws Exception {
        ArkProcess.Result flag = ArkProcess.run("run", "examples/linear.yaml", "--provider", "mock",
                "--mock-latency", "300ms", "-o", "json");
        assertThat(flag.exitCode()).as(flag.stderr()).isZero();
        for (JsonNode step : JSON.readTree(flag.stdout()).path("steps")) {
            assertThat(step.path("durationMs").asLong()).isGreaterThanOrEqualTo(300);
        }
        Path file = team(dir, "slow", """
                roles:
                  - name: r
                    model: m
                    provider: mock
                    env: [{name: AGENT_MOCK_LATENCY_MS, value: "400"}]
                pipeline: [{role: r, inputs: {prompt: hi}}]
                """);
        ArkProcess.Result env = ArkProcess.run("run", file.toString(), "-o", "json");
        assertThat(env.exitCode()).as(env.stderr()).isZero();
        assertThat(JSON.readTree(env.stdout()).path("steps").get(0).path("durationMs").asLong()).isGreaterThanOrEqualTo(400);
    }

    // ---- providers that fail ----

    @Test
    void aServerErrorIsRetriedVisiblyAndAnUnknownHostFailsAtOnceInPlainWords(@TempDir Path dir) throws Exception {
        Path file = team(dir, "real", "roles: [{name: asker, model: gpt-4o}]\npipeline: [{role: asker, inputs: {prompt: hi}}]");
        try (StubHttpServer server = new StubHttpServer()) {
            server.reply(Reply.status(500, "{\"error\":{\"message\":\"boom\"}}"), Reply.json("""
                    {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o",
                     "choices":[{"index":0,"message":{"role":"assistant","content":"fine"},"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}"""));
            ArkProcess.Result run = ArkProcess.run(ArkProcess.Options.defaults().withEnv(Map.of("OPENAI_API_KEY", "sk-x",
                    "OPENAI_BASE_URL", server.url() + "/v1")), "run", file.toString(), "--watch");
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout()).contains("asker  openai: 500 server error from " + server.url()
                    + "/v1/chat/completions; retrying in 0.5s (attempt 2 of 8)");
        }
        ArkProcess.Result dns = ArkProcess.run(ArkProcess.Options.defaults().withEnv(Map.of("OPENAI_API_KEY", "sk-x",
                "OPENAI_BASE_URL", "http://no-such-host.invalid/v1")), "run", file.toString(), "--watch");
        assertThat(dns.exitCode()).isEqualTo(1);
        assertThat(dns.took()).isLessThan(Duration.ofSeconds(15));
        assertThat(dns.stdout() + dns.stderr()).contains("openai: cannot reach http://no-such-host.invalid/v1/chat/completions: "
                + "host no-such-host.invalid not found (DNS)").doesNotContain("retrying", "Exception", "null");
    }

    // ---- cluster commands without a cluster ----

    @Test
    void clusterCommandsFailFastNamingTheServerAndTheCause(@TempDir Path dir) throws Exception {
        ArkProcess.Options noConfig = ArkProcess.Options.defaults().withEnv(Map.of("HOME", dir.toString()));
        ArkProcess.Result none = ArkProcess.run(noConfig, "status");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).startsWith("error: no kubeconfig: set KUBECONFIG, pass --kubeconfig <file>");

        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Path refused = kubeconfig(dir, "refused", "https://127.0.0.1:" + closed);
        for (String[] command : new String[][] {{"status"}, {"trigger", "t", "-n", "x"}, {"retry", "t", "-n", "x"}}) {
            ArkProcess.Result r = ArkProcess.run(noConfig, concat(command, "--kubeconfig", refused.toString()));
            assertThat(r.exitCode()).as(String.join(" ", command)).isEqualTo(2);
            assertThat(r.took()).isLessThan(Duration.ofSeconds(10));
            assertThat(r.stderr()).as(String.join(" ", command)).isEqualTo(
                    "error: cannot reach the cluster at https://127.0.0.1:" + closed + "/: connection refused\n");
        }
        // a server that accepts but never answers
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path hanging = kubeconfig(dir, "silent", "https://127.0.0.1:" + silent.getLocalPort());
            ArkProcess.Result r = ArkProcess.run(ArkProcess.Options.defaults().withEnv(Map.of("HOME", dir.toString(),
                    "KUBECONFIG", hanging.toString())), "status", "--request-timeout", "2s");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.took()).isLessThan(Duration.ofSeconds(12));
            assertThat(r.stderr()).startsWith("error: cannot reach the cluster at https://127.0.0.1:" + silent.getLocalPort() + "/: ");
        }
        ArkProcess.Result context = ArkProcess.run(noConfig, "status", "--kubeconfig", refused.toString(), "--context", "prod");
        assertThat(context.exitCode()).isEqualTo(2);
        assertThat(context.stderr()).contains("--context prod: no such context in the kubeconfig (contexts: refused)");
    }

    private static Path kubeconfig(Path dir, String name, String server) throws Exception {
        Path file = dir.resolve(name + ".kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: %1$s, cluster: {server: "%2$s", insecure-skip-tls-verify: true}}]
                users: [{name: %1$s, user: {token: t}}]
                contexts: [{name: %1$s, context: {cluster: %1$s, user: %1$s, namespace: team-a}}]
                current-context: %1$s
                """.formatted(name, server));
        return file;
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    // ---- version, completion, the jar on its own ----

    @Test
    void versionAndCompletion() throws Exception {
        assertThat(ArkProcess.run("version").stdout()).startsWith("ark 0.1.0");
        assertThat(JSON.readTree(ArkProcess.run("version", "-o", "json").stdout()).path("version").asText()).startsWith("0.1.0");
        ArkProcess.Result bash = ArkProcess.run("completion", "bash");
        assertThat(bash.exitCode()).isZero();
        assertThat(bash.stdout()).contains("complete -F", "run", "validate", "trigger", "--provider");
        ArkProcess.Result fish = ArkProcess.run("completion", "fish");
        assertThat(fish.stdout()).contains("complete -c ark -n '__fish_use_subcommand' -a run",
                "complete -c ark -n '__fish_seen_subcommand_from run' -l provider -r -a 'auto openai anthropic azure gemini mock'");
        assertThat(ArkProcess.run("completion", "zsh").stdout()).contains("compdef").contains("bashcompinit");
    }

    @Test
    void theJarRunsWhenCopiedAloneAndTheLauncherFromAnyDirectory(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("ark.jar");
        Files.copy(ArkProcess.jar(), copy);
        String team = Path.of("examples/linear.yaml").toAbsolutePath().toString();
        ArkProcess.Result alone = ArkProcess.run(ArkProcess.Options.defaults().in(dir)
                .using(List.of(ArkProcess.javaBinary(), "-jar", copy.toString())), "run", team, "--provider", "mock");
        assertThat(alone.exitCode()).as(alone.stderr()).isZero();

        Path link = dir.resolve("ark");
        Files.createSymbolicLink(link, Path.of("bin/ark").toAbsolutePath());
        ArkProcess.Result launched = ArkProcess.run(ArkProcess.Options.defaults().in(dir)
                .withEnv(Map.of("JAVA_HOME", System.getProperty("java.home"))).using(List.of(link.toString())),
                "run", team, "--provider", "mock");
        assertThat(launched.exitCode()).as(launched.stderr()).isZero();
        assertThat(launched.stderr()).isEmpty();
        Files.delete(link);
    }

    // ---- the raw reply, as docs/troubleshooting.md promises ----

    @Test
    void aRejectedReplyIsShownTrimmedOrWholeAndKeptInTheJsonDocument(@TempDir Path dir) throws Exception {
        Path file = team(dir, "strict", """
                roles: [{name: extractor, model: gpt-4o}]
                pipeline:
                  - role: extractor
                    inputs: {prompt: "give JSON"}
                    outputSchema: '{"type":"object","required":["title"]}'
                    validate: {onFailure: fail}
                """);
        String reply = "Sure! Here is what I found:\\n" + "- a finding that goes on and on\\n".repeat(12) + "Hope that helps!";
        String body = """
                {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":3,"completion_tokens":30,"total_tokens":33}}""".formatted(reply);
        try (StubHttpServer server = new StubHttpServer()) {
            Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-x", "OPENAI_BASE_URL", server.url() + "/v1");
            server.reply(Reply.json(body), Reply.json(body), Reply.json(body));
            ArkProcess.Result trimmed = ArkProcess.run(ArkProcess.Options.defaults().withEnv(env), "run", file.toString(), "--watch");
            assertThat(trimmed.exitCode()).isEqualTo(1);
            assertThat(trimmed.stdout()).contains("extractor  attempt 1 rejected: output is not valid JSON",
                    "extractor  attempt 1 raw reply: \"Sure! Here is what I found: - a finding").doesNotContain("Hope that helps!");

            ArkProcess.Result whole = ArkProcess.run(ArkProcess.Options.defaults().withEnv(env), "run", file.toString(),
                    "--watch", "--verbose");
            assertThat(whole.stdout()).contains("extractor  attempt 1 raw reply:\nSure! Here is what I found:\n- a finding",
                    "Hope that helps!");

            ArkProcess.Result json = ArkProcess.run(ArkProcess.Options.defaults().withEnv(env), "run", file.toString(), "-o", "json");
            JsonNode attempt = JSON.readTree(json.stdout()).path("steps").get(0).path("attemptLog").get(0);
            assertThat(attempt.path("accepted").asBoolean()).isFalse();
            assertThat(attempt.path("rawOutput").asText()).endsWith("Hope that helps!");
            assertThat(attempt.path("error").asText()).startsWith("output is not valid JSON");
        }
    }
}
