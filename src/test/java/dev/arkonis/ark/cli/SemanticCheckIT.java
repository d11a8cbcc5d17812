package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Through the jar: validate.semantic runs a judge call (deterministic with the mock) whose fail is retried. */
class SemanticCheckIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path team(Path dir, String validate) throws Exception {
        Path file = Files.createDirectories(dir).resolve("team.yaml");
        Files.writeString(file, """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata:
                  name: judged
                spec:
                  roles:
                    - {name: writer, model: gpt-4o-mini}
                    - {name: critic, model: gpt-4o-mini}
                  pipeline:
                    - role: writer
                      inputs: {prompt: "Write one line about the sea."}
                %s
                """.formatted(validate.isEmpty() ? "" : "      validate: " + validate));
        return file;
    }

    private static JsonNode run(Path team, int expectedExit) throws Exception {
        ArkProcess.Result run = ArkProcess.run("run", team.toString(), "--provider", "mock", "--format", "json");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(expectedExit);
        return JSON.readTree(run.stdout());
    }

    @Test
    void aPassingJudgeLetsTheStepSucceedAndItsTokensCount(@TempDir Path dir) throws Exception {
        Path judged = team(dir.resolve("a"), "{semantic: \"It mentions the sea.\", judgeRole: critic}");
        Path plain = team(dir.resolve("b"), "");

        ArkProcess.Result validate = ArkProcess.run("validate", judged.toString());
        assertThat(validate.exitCode()).as(validate.stderr()).isZero();
        assertThat(validate.stdout() + validate.stderr()).doesNotContain("semantic").doesNotContain("not supported");

        JsonNode withJudge = run(judged, 0);
        JsonNode without = run(plain, 0);
        JsonNode step = withJudge.path("steps").get(0);
        assertThat(step.path("phase").asText()).isEqualTo("Succeeded");
        assertThat(step.path("output").asText()).isEqualTo(without.path("steps").get(0).path("output").asText());
        assertThat(step.path("attempts").asInt()).isEqualTo(1);
        assertThat(step.path("tokens").path("total").asLong()).as("the judge's tokens count toward the step")
                .isGreaterThan(without.path("steps").get(0).path("tokens").path("total").asLong());
        assertThat(withJudge.path("tokens").path("total").asLong()).isEqualTo(step.path("tokens").path("total").asLong());
    }

    @Test
    void aFailingJudgeIsRetriedThenFailsTheRunWithItsReason(@TempDir Path dir) throws Exception {
        Path team = team(dir, "{semantic: \"It rhymes. [mock:judge-fail]\", maxRetries: 1}");

        JsonNode run = run(team, 1);

        JsonNode step = run.path("steps").get(0);
        assertThat(step.path("phase").asText()).isEqualTo("Failed");
        assertThat(step.path("attempts").asInt()).isEqualTo(2);
        assertThat(step.path("message").asText()).isEqualTo("output failed validation after 2 attempt(s): "
                + "semantic check failed: mock judge: failure requested by [mock:judge-fail]");
        assertThat(run.path("phase").asText()).isEqualTo("Failed");
    }
}
