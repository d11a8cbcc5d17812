package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packaged CLI on the examples and on bad files: exit codes and what users read. */
class ArkCliIT {
    private static final String TEAMS = "src/test/resources/teams/";

    @ParameterizedTest
    @ValueSource(strings = {"linear", "diamond", "structured", "conditional"})
    void everyExampleValidatesAndRunsWithTheMockProvider(String example) throws Exception {
        String file = "examples/" + example + ".yaml";
        ArkProcess.Result validate = ArkProcess.run("validate", file);
        assertThat(validate.exitCode()).as(validate.stderr()).isZero();
        assertThat(validate.stdout()).contains("is valid");

        ArkProcess.Result run = ArkProcess.run("run", file, "--provider", "mock");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isNotBlank();
        assertThat(run.stderr()).doesNotContain("Exception");
    }

    @Test
    void watchInAPipePrintsAPlainLinePerStepChangeAndASummary() throws Exception {
        ArkProcess.Result run = ArkProcess.run("run", "examples/linear.yaml", "--provider", "mock", "--watch",
                "--input", "topic=Redis streams");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).doesNotContain("\u001b[");
        assertThat(run.stdout().lines().filter(l -> l.matches("^researcher\\s+Running\\s+attempt 1$"))).hasSize(1);
        assertThat(run.stdout().lines().filter(l -> l.matches("^editor\\s+Succeeded\\s+\\d+ms\\s+\\d+ tokens \\$0\\.\\d+\\s+\".+\"$")))
                .hasSize(1);
        // the mock prices its tokens as the roles' models would: what the run would cost with them
        assertThat(run.stdout()).containsPattern("run blog-writer-\\S+ of team blog-writer Succeeded in \\S+: 3/3 steps "
                + "succeeded, \\d+ tokens \\(\\d+ in, \\d+ out\\), \\$0\\.\\d+");
    }

    @Test
    void jsonFormatIsOneDocumentWithEveryStep(@TempDir Path dir) throws Exception {
        Path outputFile = dir.resolve("out.txt");
        ArkProcess.Result run = ArkProcess.run("run", "examples/diamond.yaml", "--provider", "mock", "--format", "json",
                "--watch", "--output", outputFile.toString(), "--input", "{\"product\": \"a kettle\"}");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run.stdout());
        assertThat(doc.path("phase").asText()).isEqualTo("Succeeded");
        assertThat(doc.path("team").asText()).isEqualTo("market-analysis");
        assertThat(doc.path("output").asText()).contains("a kettle");
        assertThat(doc.path("steps")).hasSize(4);
        JsonNode step = doc.path("steps").get(0);
        assertThat(step.path("name").asText()).isEqualTo("planner");
        assertThat(step.path("phase").asText()).isEqualTo("Succeeded");
        assertThat(step.path("tokens").path("total").asLong()).isPositive();
        assertThat(step.has("durationMs")).isTrue();
        long stepTokens = 0;
        for (JsonNode s : doc.path("steps")) {
            stepTokens += s.path("tokens").path("total").asLong();
        }
        assertThat(doc.path("tokens").path("total").asLong()).isEqualTo(stepTokens);
        java.math.BigDecimal stepCosts = java.math.BigDecimal.ZERO;
        for (JsonNode s : doc.path("steps")) {
            stepCosts = stepCosts.add(s.path("tokens").path("costUSD").decimalValue());
        }
        assertThat(doc.path("tokens").path("costUSD").decimalValue()).isPositive().isEqualByComparingTo(stepCosts);
        assertThat(run.stderr()).as("watch lines go to stderr with --format json").contains("planner");
        assertThat(Files.readString(outputFile)).isEqualTo(doc.path("output").asText());
    }

    @Test
    void aFailedRunExitsOneAndNamesTheStep() throws Exception {
        ArkProcess.Result run = ArkProcess.run("run", TEAMS + "failing.yaml", "--provider", "mock", "--format", "json");
        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode doc = new ObjectMapper().readTree(run.stdout());
        assertThat(doc.path("phase").asText()).isEqualTo("Failed");
        assertThat(doc.path("failedStep").asText()).isEqualTo("bad");
        assertThat(doc.path("message").asText()).isEqualTo("step bad failed: mock: failure requested by the prompt");
        assertThat(doc.path("steps").get(2).path("phase").asText()).isEqualTo("Skipped");
        assertThat(doc.path("steps").get(2).path("message").asText()).isEqualTo("skipped: depends on failed step bad");
    }

    @Test
    void aCycleIsNamed() throws Exception {
        for (String command : new String[] {"validate", "run"}) {
            ArkProcess.Result result = ArkProcess.run(command, TEAMS + "cycle.yaml", "--provider", "mock");
            if (command.equals("validate")) {
                result = ArkProcess.run(command, TEAMS + "cycle.yaml");
            }
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.stderr()).contains("error: team loop: spec.pipeline[0].dependsOn: dependency cycle a -> b -> a");
            assertThat(result.stderr()).doesNotContain("Exception");
        }
    }

    @Test
    void validateListsEveryProblemWithItsPath() throws Exception {
        ArkProcess.Result result = ArkProcess.run("validate", TEAMS + "many-problems.yaml");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains(
                "spec.pipeline[2].dependsOn[1]: unknown step \"polishh\"",
                "spec.pipeline[0].role: unknown role \"writr\" (roles: writer)",
                "spec.pipeline[0].inputs.prompt: references undeclared input \"subject\" (inputs: topic)",
                "spec.pipeline[1].inputs.prompt: references step \"final\" which is not an ancestor of \"polish\"",
                "spec.pipeline[0].outputSchema: not a valid JSON Schema");
        assertThat(result.stdout()).contains("team broken is invalid: 5 problem(s)");
    }

    @Test
    void badFilesGetAClearMessageAndExitTwo() throws Exception {
        assertThat(ArkProcess.run("validate", TEAMS + "malformed.yaml"))
                .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
                .satisfies(r -> assertThat(r.stderr()).contains("malformed YAML at line 7, column 3"));
        assertThat(ArkProcess.run("run", TEAMS + "empty.yaml"))
                .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
                .satisfies(r -> assertThat(r.stderr()).contains("the file is empty"));
        assertThat(ArkProcess.run("run", TEAMS + "no-team.yaml"))
                .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
                .satisfies(r -> assertThat(r.stderr()).contains("skipping document 1 (ArkRun r1)", "no ArkTeam in the file"));
        assertThat(ArkProcess.run("run", TEAMS + "does-not-exist.yaml"))
                .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
                .satisfies(r -> assertThat(r.stderr()).contains("no such file"));
    }

    @Test
    void badInputIsNamedAndExitsTwo() throws Exception {
        ArkProcess.Result missing = ArkProcess.run("run", "examples/structured.yaml", "--provider", "mock",
                "--input", "{\"ticket\": null, \"priority\": 1}");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("input \"priority\" is not declared by the team");

        ArkProcess.Result wrongType = ArkProcess.run("run", "examples/conditional.yaml", "--provider", "mock",
                "--input", "review=maybe");
        assertThat(wrongType.exitCode()).isEqualTo(2);
        assertThat(wrongType.stderr()).contains("--input review=maybe: input \"review\" is declared boolean, so its value must be JSON (review=true)");

        ArkProcess.Result typed = ArkProcess.run("run", "examples/conditional.yaml", "--provider", "mock",
                "--input", "{\"review\": \"yes\"}");
        assertThat(typed.exitCode()).isEqualTo(2);
        assertThat(typed.stderr()).contains("input \"review\": expected a boolean, found a string (\"yes\")");

        ArkProcess.Result usage = ArkProcess.run("run", "examples/linear.yaml", "--format", "xml");
        assertThat(usage.exitCode()).isEqualTo(2);
    }

    @Test
    void aRequiredInputWithoutDefaultMustBeGiven(@TempDir Path dir) throws Exception {
        Path team = dir.resolve("team.yaml");
        Files.writeString(team, """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: needs-topic}
                spec:
                  inputs: [{name: topic, required: true}]
                  roles: [{name: r, model: gpt-4o}]
                  pipeline: [{role: r, inputs: {prompt: "{{ .input.topic }}"}}]
                """);
        ArkProcess.Result result = ArkProcess.run("run", team.toString(), "--provider", "mock");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("error: input \"topic\" is required");
        assertThat(ArkProcess.run("run", team.toString(), "--provider", "mock", "--input", "topic=x").exitCode()).isZero();
    }

    @Test
    void versionAndHelpNameEverySubcommand() throws Exception {
        assertThat(ArkProcess.run("--version").stdout()).startsWith("ark 0.1.0");
        assertThat(ArkProcess.run("--help").stdout()).contains("run", "validate", "trigger", "status", "retry", "agent",
                "operator");
    }

    @Test
    void aRealProviderWithoutItsKeySaysWhichKeyAndHowToRunWithoutOne() throws Exception {
        ArkProcess.Result result = ArkProcess.run("run", "examples/linear.yaml");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("error: role researcher (openai): OPENAI_API_KEY not set",
                "hint: --provider mock runs the team without any API key");
    }

    @Test
    void theRunTimeoutAndTokenBudgetFlagsApply() throws Exception {
        ArkProcess.Result budget = ArkProcess.run("run", "examples/linear.yaml", "--provider", "mock",
                "--max-tokens", "10", "--format", "json");
        assertThat(budget.exitCode()).isEqualTo(1);
        JsonNode doc = new ObjectMapper().readTree(budget.stdout());
        assertThat(doc.path("reason").asText()).isEqualTo("BudgetExceeded");
        assertThat(doc.path("message").asText()).startsWith("run token budget of 10 tokens exceeded");
    }
}
