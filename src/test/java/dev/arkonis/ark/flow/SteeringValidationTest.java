package dev.arkonis.ark.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SteeringValidationTest {
    private final TeamValidator validator = new TeamValidator(new JsonSchemas());

    private List<String> errors(String specYaml) {
        return validator.validate(Teams.spec(specYaml)).errors().stream().map(Problem::toString).toList();
    }

    private List<String> warnings(String specYaml) {
        return validator.validate(Teams.spec(specYaml)).warnings().stream().map(Problem::toString).toList();
    }

    @Test
    void aValidApprovalStepAndCacheHaveNoProblems() {
        assertThat(errors("""
                inputs: [{name: topic}]
                roles: [{name: w, model: m}]
                cache: {maxAge: 24h}
                pipeline:
                  - {name: draft, role: w, cache: {maxAge: 30m}}
                  - name: review
                    dependsOn: [draft]
                    if: "{{ .input.topic }}"
                    approval: {message: "Publish {{ .steps.draft.output }}?", timeout: 1h30m, onTimeout: approve}
                  - {name: publish, role: w, dependsOn: [review], inputs: {prompt: "{{ .steps.review.output }}"}}
                """)).isEmpty();
    }

    @Test
    void anApprovalStepNeedsANameRunsNoRoleAndHasNoTaskFields() {
        assertThat(errors("""
                roles: [{name: w, model: m}]
                pipeline:
                  - {name: w, role: w}
                  - {approval: {message: "ok?"}}
                  - name: both
                    role: w
                    approval: {message: "ok?"}
                  - name: task
                    approval: {timeout: soon}
                    inputs: {prompt: "x"}
                    outputSchema: '{"type": "object"}'
                    timeoutSeconds: 5
                """)).containsExactly(
                "spec.pipeline[1].name: required for an approval step",
                "spec.pipeline[2].role: an approval step waits for a person and runs no role; set either role or approval",
                "spec.pipeline[3].approval.timeout: 'soon' is not a duration (examples: 90, 90s, 5m, 1h30m, 800ms)",
                "spec.pipeline[3].inputs: an approval step runs no role, so it has no inputs (use approval.timeout for how long it waits)",
                "spec.pipeline[3].outputSchema: an approval step runs no role, so it has no outputSchema (use approval.timeout for how long it waits)",
                "spec.pipeline[3].timeoutSeconds: an approval step runs no role, so it has no timeoutSeconds (use approval.timeout for how long it waits)");
    }

    @Test
    void anApprovalMessageReadsOnlyDeclaredInputsAndAncestors() {
        assertThat(errors("""
                roles: [{name: w, model: m}]
                pipeline:
                  - {name: a, role: w}
                  - {name: gate, approval: {message: "{{ .input.nope }} {{ .steps.a.output }}"}}
                """)).containsExactly(
                "spec.pipeline[1].approval.message: references undeclared input \"nope\" (the team declares no inputs)",
                "spec.pipeline[1].approval.message: references step \"a\" which is not an ancestor of \"gate\" (add it to dependsOn)");
    }

    @Test
    void aRoleStepStillNeedsItsRole() {
        assertThat(errors("""
                roles: [{name: w, model: m}]
                pipeline:
                  - {name: a}
                """)).containsExactly("spec.pipeline[0].role: required (or approval, for a step a person decides)");
    }

    @Test
    void cacheAgesAreDurationsAndALoopStepIsNeverCached() {
        assertThat(errors("""
                roles: [{name: w, model: m}]
                cache: {maxAge: forever}
                pipeline:
                  - {name: a, role: w, cache: {maxAge: "-5m"}}
                """)).containsExactly(
                "spec.pipeline[0].cache.maxAge: '-5m' is negative; give a duration such as 90s, 5m or 1h30m",
                "spec.cache.maxAge: 'forever' is not a duration (examples: 90, 90s, 5m, 1h30m, 800ms)");
        assertThat(warnings("""
                roles: [{name: w, model: m}]
                pipeline:
                  - {name: a, role: w, cache: {maxAge: 1h}, loop: {condition: "{{ false }}"}}
                """)).containsExactly("spec.pipeline[0].cache: a loop step's output is not one prompt's answer: it is never cached");
    }
}
