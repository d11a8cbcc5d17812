package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packaged CLI on loop steps, ArkEvents and ArkNotifies: loops run locally, the rest is checked and left to the cluster. */
class ClusterFeaturesCliIT {
    private static final String COOKBOOK = "src/test/resources/cookbook/";

    @Test
    void aLoopStepRunsLocallyUntilItsConditionIsFalse() throws Exception {
        ArkProcess.Result validate = ArkProcess.run("validate", "examples/refine-loop.yaml");
        assertThat(validate.exitCode()).as(validate.stderr()).isZero();
        assertThat(validate.stderr()).as("loop is no longer a field ark ignores").doesNotContain("loop");

        ArkProcess.Result run = ArkProcess.run("run", "examples/refine-loop.yaml", "--provider", "mock", "--format", "json");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.stdout());
        JsonNode refine = report.path("steps").get(0);
        assertThat(refine.path("name").asText()).isEqualTo("refine");
        assertThat(refine.path("attempts").asInt()).as("one attempt per iteration").isEqualTo(3);
        assertThat(refine.path("message").asText()).isEqualTo("loop ended after 3 iteration(s): the condition is false");
        assertThat(refine.path("output").asText()).startsWith("mock answer to: Improve this note: mock answer to: Improve this note: ");
        assertThat(report.path("output").asText()).startsWith("mock answer to: Format for the blog (after 3 rounds): ");
        long stepTokens = refine.path("tokens").path("total").asLong() + report.path("steps").get(1).path("tokens").path("total").asLong();
        assertThat(report.path("tokens").path("total").asLong()).isEqualTo(stepTokens);
    }

    @ParameterizedTest
    @ValueSource(strings = {"budget-notify", "webhook-fanout", "cron-digest"})
    void filesInTheShapeOfTheCookbookValidate(String name) throws Exception {
        ArkProcess.Result validate = ArkProcess.run("validate", COOKBOOK + name + ".yaml");
        assertThat(validate.exitCode()).as(validate.stderr()).isZero();
        assertThat(validate.stdout()).containsPattern("Ark(Event|Notify) \\S+ is valid");
        assertThat(validate.stderr()).doesNotContain("notifyRef", "skipping", "not supported yet; ignored\nloop");
    }

    @Test
    void badEventsAndNotifiesAreListedWithEveryProblemAtItsField() throws Exception {
        ArkProcess.Result validate = ArkProcess.run("validate", COOKBOOK + "bad-events.yaml");
        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.stderr()).contains(
                "error: ArkEvent broken-cron: spec.source.timezone: unknown field",
                "error: ArkEvent broken-cron: spec.source.cron: invalid expression \"0 25 * * *\"",
                "error: ArkEvent broken-cron: spec.targets[0].input.date: unknown field \".trigger.body\" for a cron source",
                "error: ArkEvent broken-cron: spec.targets[0].input.date: team reports declares no input \"date\" (inputs: day)",
                "error: ArkEvent broken-cron: spec.targets[0].input: team reports requires input \"day\"",
                "error: ArkNotify broken-notify: spec.channel.slack.webhookUrlSecretRef: required",
                "error: ArkNotify broken-notify: spec.events[0].template: reads \".run\", which BudgetExceeded messages do not have");
        assertThat(validate.stdout()).contains("team reports is valid", "ArkEvent broken-cron is invalid: 5 problem(s)",
                "ArkNotify broken-notify is invalid: 2 problem(s)");
    }

    @Test
    void runSaysOnceThatTriggersAndNotificationsAreClusterFeatures() throws Exception {
        ArkProcess.Result run = ArkProcess.run("run", COOKBOOK + "webhook-fanout.yaml", "--team", "quality-review-team",
                "--provider", "mock", "--input", "prNumber=42", "--input", "repo=my-org/svc");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("mock answer to: Review PR #42 of my-org/svc.");
        assertThat(run.stderr()).containsOnlyOnce("cluster features")
                .contains("ArkEvent pr-review-webhook, ArkEvent support-webhook: triggers and notifications are cluster "
                        + "features (the operator acts on them); ark run does not");
    }
}
