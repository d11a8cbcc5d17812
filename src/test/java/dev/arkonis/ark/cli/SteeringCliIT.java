package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ark run} with approval steps, --from and the step cache, as the packaged jar runs them (no terminal). */
class SteeringCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXAMPLE = "examples/reviewed-post.yaml";

    private static ArkProcess.Options cacheIn(Path dir) {
        return ArkProcess.Options.defaults().withEnv(Map.of("XDG_CACHE_HOME", dir.toString()));
    }

    private static JsonNode step(JsonNode run, String name) {
        for (JsonNode step : run.path("steps")) {
            if (step.path("name").asText().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step " + name + " in " + run);
    }

    @Test
    void anApprovalGivenOnTheCommandLineIsRecordedAndItsCommentIsTheStepsOutput(@TempDir Path dir) throws Exception {
        ArkProcess.Result run = ArkProcess.run(cacheIn(dir), "run", EXAMPLE, "--provider", "mock", "--input", "topic=otters",
                "--approve", "review=ship it", "-o", "json");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode doc = JSON.readTree(run.stdout());
        JsonNode review = step(doc, "review");
        assertThat(review.path("phase").asText()).isEqualTo("Succeeded");
        assertThat(review.path("output").asText()).isEqualTo("ship it");
        assertThat(review.path("approval").path("verdict").asText()).isEqualTo("Approved");
        assertThat(review.path("approval").path("decidedBy").asText()).isNotBlank();
        assertThat(review.path("approval").path("message").asText()).startsWith("Publish this post about otters?");
        assertThat(doc.path("output").asText()).contains("minding this note: ship it");
    }

    @Test
    void aRejectionOnTheCommandLineFailsTheRunNamingWhoRejected(@TempDir Path dir) throws Exception {
        ArkProcess.Result run = ArkProcess.run(cacheIn(dir).withEnv(Map.of("XDG_CACHE_HOME", dir.toString(), "USER", "carol")),
                "run", EXAMPLE, "--provider", "mock", "--input", "topic=otters", "--reject", "review=too short");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("step review was rejected by carol: too short");
    }

    @Test
    void withoutATerminalAStepWithoutATimeoutIsRejectedAtOnceSayingHowToDecide(@TempDir Path dir) throws Exception {
        Path team = dir.resolve("gate.yaml");
        Files.writeString(team, Files.readString(Path.of(EXAMPLE)).replace("        timeout: 1h\n", ""));
        ArkProcess.Result run = ArkProcess.run(cacheIn(dir), "run", team.toString(), "--provider", "mock", "--input",
                "topic=otters");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("rejected by ark run: no terminal to ask on and no approval.timeout to wait for; "
                + "pass --approve review or --reject review");
    }

    @Test
    void withoutATerminalAStepWaitsForItsTimeoutAndItsOnTimeoutDecides(@TempDir Path dir) throws Exception {
        Path team = dir.resolve("gate.yaml");
        Files.writeString(team, Files.readString(Path.of(EXAMPLE)).replace("timeout: 1h", "timeout: 2s")
                .replace("onTimeout: reject", "onTimeout: approve"));
        ArkProcess.Result run = ArkProcess.run(cacheIn(dir), "run", team.toString(), "--provider", "mock", "--input",
                "topic=otters", "-o", "json");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("note: step review waits for approval until", "pass --approve review or --reject review");
        JsonNode review = step(JSON.readTree(run.stdout()), "review");
        assertThat(review.path("approval").path("timedOut").asBoolean()).isTrue();
        assertThat(review.path("message").asText()).isEqualTo("no decision within 2s: approved by its timeout (onTimeout: approve)");
        assertThat(run.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aSecondRunTakesTheDraftFromTheCacheUnlessToldNotTo(@TempDir Path dir) throws Exception {
        String[] args = {"run", EXAMPLE, "--provider", "mock", "--input", "topic=otters", "--approve-all", "-o", "json"};
        JsonNode first = JSON.readTree(ArkProcess.run(cacheIn(dir), args).stdout());
        assertThat(step(first, "draft").has("cached")).isFalse();
        assertThat(Files.list(dir.resolve("ark/steps")).count()).isEqualTo(1);

        JsonNode second = JSON.readTree(ArkProcess.run(cacheIn(dir), args).stdout());
        JsonNode draft = step(second, "draft");
        assertThat(draft.path("cached").asBoolean()).isTrue();
        assertThat(draft.path("sourceRun").asText()).isEqualTo(first.path("run").asText());
        assertThat(draft.path("tokens").path("total").asLong()).isZero();
        assertThat(draft.path("output").asText()).isEqualTo(step(first, "draft").path("output").asText());
        assertThat(second.path("tokens").path("total").asLong())
                .isEqualTo(first.path("tokens").path("total").asLong() - step(first, "draft").path("tokens").path("total").asLong());

        ArkProcess.Result noCache = ArkProcess.run(cacheIn(dir), "run", EXAMPLE, "--provider", "mock", "--input",
                "topic=otters", "--approve-all", "--no-cache", "-o", "json");
        assertThat(step(JSON.readTree(noCache.stdout()), "draft").has("cached")).isFalse();
        ArkProcess.Result otherTopic = ArkProcess.run(cacheIn(dir), "run", EXAMPLE, "--provider", "mock", "--input",
                "topic=beavers", "--approve-all", "-o", "json");
        assertThat(step(JSON.readTree(otherTopic.stdout()), "draft").has("cached")).as("another prompt").isFalse();
    }

    @Test
    void fromAStepWithTheEarlierRunsJsonRunsOnlyThatStepAndWhatFollows(@TempDir Path dir) throws Exception {
        ArkProcess.Result earlier = ArkProcess.run(cacheIn(dir), "run", EXAMPLE, "--provider", "mock", "--input",
                "topic=otters", "--approve", "review=ship it", "-o", "json", "--no-cache");
        Path earlierJson = dir.resolve("earlier.json");
        Files.writeString(earlierJson, earlier.stdout());
        JsonNode before = JSON.readTree(earlier.stdout());

        ArkProcess.Result again = ArkProcess.run(cacheIn(dir), "run", EXAMPLE, "--provider", "mock", "--input",
                "topic=otters", "--from", "publish", "--outputs", earlierJson.toString(), "-o", "json", "--no-cache");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        JsonNode after = JSON.readTree(again.stdout());
        for (String reused : List.of("draft", "review")) {
            JsonNode step = step(after, reused);
            assertThat(step.path("reused").asBoolean()).isTrue();
            assertThat(step.path("sourceRun").asText()).isEqualTo(before.path("run").asText());
            assertThat(step.path("output").asText()).isEqualTo(step(before, reused).path("output").asText());
            assertThat(step.path("tokens").path("total").asLong()).isZero();
        }
        assertThat(step(after, "review").path("approval").path("decidedBy").asText())
                .isEqualTo(step(before, "review").path("approval").path("decidedBy").asText());
        assertThat(step(after, "publish").has("reused")).isFalse();
        assertThat(after.path("tokens").path("total").asLong()).isEqualTo(step(before, "publish").path("tokens").path("total").asLong());

        ArkProcess.Result noFile = ArkProcess.run(cacheIn(dir), "run", EXAMPLE, "--provider", "mock", "--input",
                "topic=otters", "--from", "publish");
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.stderr()).contains("--from needs --outputs <earlier-run.json>");
        ArkProcess.Result unknown = ArkProcess.run(cacheIn(dir), "run", EXAMPLE, "--provider", "mock", "--input",
                "topic=otters", "--from", "pubish", "--outputs", earlierJson.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("--from pubish: no step \"pubish\" in the pipeline (steps: draft, review, publish)");
    }

    @Test
    void approvalFlagsMustNameApprovalSteps(@TempDir Path dir) throws Exception {
        ArkProcess.Result run = ArkProcess.run(cacheIn(dir), "run", EXAMPLE, "--provider", "mock", "--input", "topic=x",
                "--approve", "draft");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--approve draft: no approval step \"draft\" in the pipeline (approval steps: review)");
    }

    @Test
    void aDryRunShowsWhatTheApprovalAsksAndPreviewsTheStepsAfterIt(@TempDir Path dir) throws Exception {
        ArkProcess.Result run = ArkProcess.run(cacheIn(dir), "run", EXAMPLE, "--dry-run", "--input", "topic=otters");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("── 2. review (approval) after draft ──", "asks:\n  Publish this post about otters?",
                "── 3. publish (role writer) after review ──");
    }
}
