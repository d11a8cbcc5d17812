package dev.arkonis.ark.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.queue.DelegationCall;
import dev.arkonis.ark.queue.ResultDelivery;
import dev.arkonis.ark.queue.TaskResult;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.HashMap;
import java.util.List;
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
                - {name: research, role: researcher, phase: Succeeded, attempts: 1}
                - {name: draft, role: writer, phase: Running, attempts: 1}
              teamSpec:
                roles: [{name: researcher, model: m}, {name: writer, model: m}, {name: editor, model: m}]
                pipeline:
                  - {role: researcher, name: research}
                  - {role: writer, name: draft, validate: {semantic: "is it good", judgeRole: editor}}
            """, ArkRun.class);

    /**
     * Run r-2 of the routed team desk: the router chose the standalone agent billing-expert; a child step of the entry
     * role's delegate call; a lookup step that went to another team's agent.
     */
    private static final ArkRun MODES = Serialization.unmarshal("""
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkRun
            metadata: {name: r-2, namespace: victim}
            spec: {teamRef: {name: desk}}
            status:
              phase: Running
              steps:
                - {name: route, role: router, phase: Running, attempts: 1, resolvedAgent: billing-expert}
                - {name: coordinator, role: coordinator, phase: Running, attempts: 1}
                - {name: billing-1, role: billing, phase: Running, attempts: 1, parent: coordinator}
                - {name: research, role: researcher, phase: Running, attempts: 1, resolvedAgent: lab-scientist}
            """, ArkRun.class);

    private static final Map<ResourceID, ArkAgent> AGENTS = Map.of(
            new ResourceID("billing-expert", "victim"), agent("billing-expert", null),
            new ResourceID("other-expert", "victim"), agent("other-expert", null),
            new ResourceID("lab-scientist", "victim"), agent("lab-scientist", "lab"));

    /** An ArkAgent of namespace victim, standalone or of {@code team}'s role {@code scientist}. */
    private static ArkAgent agent(String name, String team) {
        ArkAgent agent = new ArkAgent();
        agent.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace("victim")
                .build());
        if (team != null) {
            agent.getMetadata().setLabels(Map.of("arkonis.dev/team", team, "arkonis.dev/role", "scientist"));
            agent.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                    .withKind("ArkTeam").withName(team).build()));
        }
        return agent;
    }

    private static ResultTrust.Verdict judge(String stream, Map<String, String> fields) {
        return judge(new ResultDelivery(stream, "1-0", result(fields)));
    }

    private static ResultTrust.Verdict judge(ResultDelivery delivery) {
        return ResultTrust.judge(delivery, id -> id.equals(new ResourceID("r-1", "victim")) ? Optional.of(RUN)
                : id.equals(new ResourceID("r-2", "victim")) ? Optional.of(MODES) : Optional.empty(),
                id -> Optional.ofNullable(AGENTS.get(id)));
    }

    private static ResultTrust.Verdict delegation(String stream, String task, Map<String, String> overrides) {
        Map<String, String> copied = new HashMap<>(Map.of("run", "r-2", "namespace", "victim", "step", "coordinator",
                "attempt", "1", "team", "desk"));
        copied.putAll(overrides);
        return judge(new ResultDelivery(stream, "1-0", null, new DelegationCall(task, 1, "billing", "refund it",
                "pod", copied)));
    }

    private static ResultTrust.Verdict routed(String stream, String task, String step) {
        return judge(stream, Map.of("run", "r-2", "team", "desk", "task", task, "step", step));
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
        assertThat(rejected(judge("victim.blog.researcher.results", Map.of("task", "r-1/draft/1/judge"))))
                .as("an attempt the copy has recorded, on another role's stream").isEqualTo(ResultTrust.Reason.ROLE);
    }

    @Test
    void aResultForAnAttemptTheCopyHasNotRecordedWaitsForANewerCopy() {
        assertThat(judge("victim.blog.writer.results", Map.of("step", "polish", "task", "r-1/polish/1")))
                .as("a step the copy does not have yet (a delegate call's child, or a cache behind the status write)")
                .isEqualTo(new ResultTrust.Ahead(new ResourceID("r-1", "victim"), "polish", 1));
        assertThat(judge("victim.blog.researcher.results", Map.of("task", "r-1/draft/2", "attempt", "2")))
                .as("a retry the copy has not seen sent, whatever the stream").isInstanceOf(ResultTrust.Ahead.class);
    }

    @Test
    void aResultThatNamesNoRunOrAnotherRunsTaskIsRejected() {
        assertThat(rejected(judge("victim.blog.writer.results", Map.of("run", "")))).isEqualTo(ResultTrust.Reason.RUN);
        assertThat(rejected(judge("victim.blog.writer.results", Map.of("step", "")))).isEqualTo(ResultTrust.Reason.RUN);
        assertThat(rejected(judge("victim.blog.writer.results", Map.of("task", "r-2/draft/1"))))
                .isEqualTo(ResultTrust.Reason.RUN);
    }

    @Test
    void aDelegateCallIsTrustedOnlyOnTheStreamOfTheAgentRunningTheCallingStep() {
        assertThat(delegation("victim.desk.coordinator.results", "r-2/coordinator/1", Map.of()))
                .isEqualTo(new ResultTrust.Trusted(new ResourceID("r-2", "victim")));
        assertThat(delegation("victim.desk.billing.results", "r-2/billing-1/1", Map.of("step", "billing-1")))
                .as("a delegated step delegates further from its own role's stream").isInstanceOf(ResultTrust.Trusted.class);
        assertThat(rejected(delegation("victim.desk.billing.results", "r-2/coordinator/1", Map.of())))
                .as("another role cannot delegate for the coordinator").isEqualTo(ResultTrust.Reason.ROLE);
        assertThat(rejected(delegation("attacker.desk.coordinator.results", "r-2/coordinator/1", Map.of())))
                .isEqualTo(ResultTrust.Reason.NAMESPACE);
        assertThat(rejected(delegation("victim.other.coordinator.results", "r-2/coordinator/1", Map.of("team", "other"))))
                .isEqualTo(ResultTrust.Reason.TEAM);
        assertThat(rejected(delegation("victim.billing-expert.results", "r-2/coordinator/1", Map.of())))
                .as("a standalone agent of the namespace").isEqualTo(ResultTrust.Reason.TEAM);
    }

    @Test
    void aRoutedOrLookedUpStepsResultIsTrustedOnTheChosenAgentsStream() {
        assertThat(routed("victim.desk.router.results", "r-2/route/1/router", "route"))
                .as("the router's answer").isInstanceOf(ResultTrust.Trusted.class);
        assertThat(routed("victim.billing-expert.results", "r-2/route/1", "route"))
                .as("the standalone agent chosen").isInstanceOf(ResultTrust.Trusted.class);
        assertThat(rejected(routed("victim.other-expert.results", "r-2/route/1", "route")))
                .as("another standalone agent").isEqualTo(ResultTrust.Reason.TEAM);
        assertThat(rejected(routed("victim.billing-expert.results", "r-2/route/1/router", "route")))
                .as("the chosen agent cannot answer for the router").isEqualTo(ResultTrust.Reason.TEAM);
        assertThat(rejected(routed("victim.desk.router.results", "r-2/route/1", "route")))
                .as("nor the router for the chosen agent").isEqualTo(ResultTrust.Reason.ROLE);
        assertThat(routed("victim.lab.scientist.results", "r-2/research/1", "research"))
                .as("another team's agent a lookup chose").isInstanceOf(ResultTrust.Trusted.class);
        assertThat(rejected(routed("victim.lab.scientist.results", "r-2/billing-1/1", "billing-1")))
                .isEqualTo(ResultTrust.Reason.TEAM);
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
