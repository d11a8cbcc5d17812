package dev.arkonis.ark.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.queue.TaskResult;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A result is trusted only for what the stream it arrived on vouches for: a run of that namespace, team and role. */
class ResultTrustTest {
    /** Run r-1 of team blog in namespace victim: step research by researcher, step draft by writer judged by editor. */
    private static final ArkRun RUN = Serialization.unmarshal("""
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkRun
            metadata: {name: r-1, namespace: victim}
            spec: {teamRef: {name: blog}}
            status:
              phase: Running
              steps:
                - {name: research, role: researcher, phase: Succeeded}
                - {name: draft, role: writer, phase: Running}
              teamSpec:
                roles: [{name: researcher, model: m}, {name: writer, model: m}, {name: editor, model: m}]
                pipeline:
                  - {role: researcher, name: research}
                  - {role: writer, name: draft, validate: {semantic: "is it good", judgeRole: editor}}
            """, ArkRun.class);

    private static ResultTrust.Verdict judge(String stream, Map<String, String> fields) {
        return ResultTrust.judge(stream, result(fields), id -> id.equals(new ResourceID("r-1", "victim"))
                ? Optional.of(RUN) : Optional.empty());
    }

    private static TaskResult result(Map<String, String> overrides) {
        Map<String, String> fields = new HashMap<>(Map.of("task", "r-1/draft/1", "status", "succeeded",
                "output", "done", "run", "r-1", "namespace", "victim", "step", "draft", "attempt", "1", "team", "blog"));
        fields.putAll(overrides);
        fields.values().removeIf(String::isEmpty);
        return TaskResult.fromFields(fields);
    }

    private static ResultTrust.Reason rejected(ResultTrust.Verdict verdict) {
        assertThat(verdict).isInstanceOf(ResultTrust.Rejected.class);
        return ((ResultTrust.Rejected) verdict).reason();
    }

    @Test
    void aResultOnItsOwnRolesStreamIsTrusted() {
        assertThat(judge("victim.blog.writer.results", Map.of()))
                .isEqualTo(new ResultTrust.Trusted(new ResourceID("r-1", "victim")));
        assertThat(judge("victim.blog.researcher.results", Map.of("task", "r-1/research/1", "step", "research")))
                .isInstanceOf(ResultTrust.Trusted.class);
    }

    @Test
    void aJudgesVerdictIsTrustedOnTheJudgesStreamOnly() {
        assertThat(judge("victim.blog.editor.results", Map.of("task", "r-1/draft/1/judge")))
                .isInstanceOf(ResultTrust.Trusted.class);
        assertThat(rejected(judge("victim.blog.writer.results", Map.of("task", "r-1/draft/1/judge"))))
                .isEqualTo(ResultTrust.Reason.ROLE);
        assertThat(rejected(judge("victim.blog.editor.results", Map.of())))
                .as("the judge cannot answer for the writer").isEqualTo(ResultTrust.Reason.ROLE);
    }

    @Test
    void aResultNamingAnotherNamespacesRunIsRejected() {
        ResultTrust.Verdict verdict = judge("attacker.blog.writer.results", Map.of());
        assertThat(rejected(verdict)).isEqualTo(ResultTrust.Reason.NAMESPACE);
        assertThat(((ResultTrust.Rejected) verdict).streamNamespace()).as("counted where it came from").isEqualTo("attacker");
        assertThat(rejected(judge("attacker.blog.writer.results", Map.of("run", "no-such-run"))))
                .as("whether or not the run exists").isEqualTo(ResultTrust.Reason.NAMESPACE);
    }

    @Test
    void aResultNamingARunOfAnotherTeamIsRejected() {
        assertThat(rejected(judge("victim.other.writer.results", Map.of()))).isEqualTo(ResultTrust.Reason.TEAM);
        assertThat(rejected(judge("victim.other.writer.results", Map.of("team", "other"))))
                .as("its own team named, but the run is blog's").isEqualTo(ResultTrust.Reason.TEAM);
        assertThat(rejected(judge("victim.blog.writer.results", Map.of("team", "other")))).isEqualTo(ResultTrust.Reason.TEAM);
    }

    @Test
    void aResultForAnotherRolesStepIsRejected() {
        assertThat(rejected(judge("victim.blog.researcher.results", Map.of()))).isEqualTo(ResultTrust.Reason.ROLE);
        assertThat(rejected(judge("victim.blog.writer.results", Map.of("step", "polish", "task", "r-1/polish/1"))))
                .as("a step the run does not have").isEqualTo(ResultTrust.Reason.ROLE);
    }

    @Test
    void aResultThatNamesNoRunOrAnotherRunsTaskIsRejected() {
        assertThat(rejected(judge("victim.blog.writer.results", Map.of("run", "")))).isEqualTo(ResultTrust.Reason.RUN);
        assertThat(rejected(judge("victim.blog.writer.results", Map.of("step", "")))).isEqualTo(ResultTrust.Reason.RUN);
        assertThat(rejected(judge("victim.blog.writer.results", Map.of("task", "r-2/draft/1"))))
                .isEqualTo(ResultTrust.Reason.RUN);
    }

    @Test
    void aResultOfADeletedRunIsDroppedQuietly() {
        assertThat(judge("victim.blog.writer.results", Map.of("run", "gone-run", "task", "gone-run/draft/1")))
                .isInstanceOf(ResultTrust.Gone.class);
    }

    @Test
    void theReasonsAreABoundedSetOfLabels() {
        assertThat(java.util.Arrays.stream(ResultTrust.Reason.values()).map(ResultTrust.Reason::label))
                .containsExactly("run", "namespace", "team", "role");
    }
}
