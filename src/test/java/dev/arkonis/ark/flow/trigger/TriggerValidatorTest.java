package dev.arkonis.ark.flow.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.arkonis.ark.api.ArkEventSpec;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.flow.Validation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggerValidatorTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static ArkEventSpec event(String yaml) throws Exception {
        return YAML.readValue(yaml, ArkEventSpec.class);
    }

    private static Validation validate(String yaml, Map<String, ArkTeamSpec> teams) throws Exception {
        return new TriggerValidator().validate(event(yaml), teams);
    }

    @Test
    void theOriginalsShapesAreValid() throws Exception {
        assertThat(validate("""
                source: {type: cron, cron: "0 0 * * *"}
                targets:
                  - team: nightly-report-team
                    input: {reportDate: "{{ .trigger.firedAt }}", includeForecasts: "true"}
                concurrencyPolicy: Forbid
                suspended: false
                """, Map.of()).errors()).isEmpty();
        assertThat(validate("""
                source: {type: webhook}
                targets: [{team: customer-support-team, input: {message: "{{ .trigger.body.message }}"}}]
                concurrencyPolicy: Allow
                """, Map.of()).errors()).isEmpty();
        assertThat(validate("""
                source: {type: pipeline-output, pipelineOutput: {name: etl, onPhase: Succeeded}}
                targets: [{team: analytics, input: {etlOutput: "{{ .trigger.output }}"}}]
                """, Map.of()).errors()).isEmpty();
    }

    @Test
    void everyProblemIsNamedAtItsField() throws Exception {
        Validation v = validate("""
                source: {type: cron, cron: "0 25 * * *", timeZone: Nowhere/Town}
                targets:
                  - team: t
                    input: {a: "{{ .trigger.body.x }}", b: "{{ .input.x }}", c: "{{ .trigger.firedAt | nosuch }}"}
                """, Map.of());
        assertThat(v.errors()).extracting(Problem::toString).hasSize(4).contains(
                "spec.source.timeZone: unknown time zone \"Nowhere/Town\" (use an IANA name such as Europe/Paris)",
                "spec.targets[0].input.a: unknown field \".trigger.body\" for a cron source (.trigger has firedAt, name, namespace, scheduledAt, type)",
                "spec.targets[0].input.b: unknown field \".input\" (input templates read .trigger)");
        assertThat(v.errors().get(3).toString()).isEqualTo("spec.targets[0].input.c: template: line 1, col 23: function \"nosuch\" not defined");
        assertThat(validate("""
                source: {type: cron, cron: "0 25 * * *"}
                targets: [{team: t}]
                """, Map.of()).errors()).singleElement().extracting(Problem::path).isEqualTo("spec.source.cron");
        assertThat(validate("""
                source: {type: pipeline-output}
                targets: []
                """, Map.of()).errors()).extracting(Problem::toString).containsExactly(
                "spec.source.pipelineOutput.name: required: the team whose runs fire this event",
                "spec.targets: at least one target is required");
    }

    @Test
    void aTargetTeamInTheSameFileIsCheckedAgainstItsInputs() throws Exception {
        ArkTeamSpec team = YAML.readValue("""
                inputs:
                  - {name: reportDate, required: true}
                  - {name: includeForecasts, default: "true"}
                roles: [{name: r, model: m}]
                pipeline: [{role: r}]
                """, ArkTeamSpec.class);
        assertThat(validate("""
                source: {type: cron, cron: "0 0 * * *"}
                targets: [{team: nightly, input: {reportDay: "{{ .trigger.firedAt }}"}}]
                """, Map.of("nightly", team)).errors()).extracting(Problem::toString).containsExactly(
                "spec.targets[0].input.reportDay: team nightly declares no input \"reportDay\" (inputs: includeForecasts, reportDate)",
                "spec.targets[0].input: team nightly requires input \"reportDate\"");
    }

    @Test
    void inputsRenderOverTheTriggerAndTakeTheTeamsTypes() throws Exception {
        ArkTeamSpec team = YAML.readValue("""
                inputs: [{name: pr, type: integer}, {name: repo}, {name: flags, type: object}]
                roles: [{name: r, model: m}]
                pipeline: [{role: r}]
                """, ArkTeamSpec.class);
        ArkEventSpec spec = event("""
                source: {type: webhook}
                targets: [{team: t, input: {pr: "{{ .trigger.body.pr_number }}", repo: "{{ .trigger.body.repo }}",
                           flags: "{{ toJson .trigger.body.flags }}"}}]
                """);
        ObjectNode input = TriggerInputs.render(spec.targets().get(0), Map.of("body",
                Map.of("pr_number", 42, "repo", "org/svc", "flags", Map.of("fast", true))), team);
        assertThat(input.toString()).isEqualTo("{\"pr\":42,\"repo\":\"org/svc\",\"flags\":{\"fast\":true}}");
        ObjectNode blank = TriggerInputs.render(spec.targets().get(0), Map.of("body",
                Map.of("pr_number", "", "repo", "r", "flags", Map.of())), team);
        assertThat(blank.get("pr").isTextual()).as("text that is not JSON stays text; the run then names the input").isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TriggerInputs.render(spec.targets().get(0),
                Map.of("body", Map.of("repo", "x")), team)).hasMessageStartingWith("input.pr: ");
    }
}
