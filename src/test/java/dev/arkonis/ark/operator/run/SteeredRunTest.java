package dev.arkonis.ark.operator.run;

import static dev.arkonis.ark.operator.run.DirectRuns.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ApprovalVerdict;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.operator.ArkLifecycle;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.SharedRuns;
import dev.arkonis.ark.operator.StatusRecorders;
import dev.arkonis.ark.queue.MemoryTransport;
import dev.arkonis.ark.queue.ResultDelivery;
import dev.arkonis.ark.queue.TaskResult;
import dev.arkonis.ark.telemetry.Telemetry;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs steered by people, as the run reconciler decides them (transport in memory, API server mocked for logic; the
 * real control plane's part is proven in the cluster ITs): approval annotations, suspend, cancel, resume from a step,
 * and the step cache.
 */
class SteeredRunTest {
    private static final String NS = DirectRuns.NS;

    private DirectRuns runs;
    private MockCluster cluster;
    private MemoryTransport transport;
    private Telemetry telemetry;
    private final List<String> askedFor = new ArrayList<>();

    @BeforeEach
    void start() {
        runs = new DirectRuns();
        transport = runs.transport;
        cluster = runs.cluster;
        telemetry = Telemetry.none();
    }

    @AfterEach
    void stop() {
        runs.close();
    }

    private RunReconciler reconciler() {
        ArkLifecycle lifecycle = new ArkLifecycle() {
            @Override
            public void approvalRequested(ArkRun run, RunStatus status, String step, int asking) {
                askedFor.add(run.getMetadata().getName() + "/" + step + "#" + asking);
            }
        };
        return RunReconciler.create(cluster.client, transport, new StatusRecorders(cluster.client, false,
                        Clock.systemUTC()).of(ArkRun.class, RunStatus.EMPTY, RunReconciler.NAME)
                        .writingBy((run, status, context) -> {
                            run.setStatus(status);
                            return cluster.client.resource(run).updateStatus();
                        }),
                RunSettings.DEFAULT, Runnable::run, Clock.systemUTC(), lifecycle, telemetry,
                new SharedRuns());
    }

    private ArkRun reconcile(RunReconciler reconciler, String name) {
        return runs.reconcile(reconciler, name, List.of());
    }

    private void edit(String name, UnaryOperator<ArkRun> change) {
        cluster.edit(ArkRun.class, NS, name, change);
    }

    private void annotate(String name, Map<String, String> annotations) {
        edit(name, run -> {
            Map<String, String> all = run.getMetadata().getAnnotations() == null ? new HashMap<>()
                    : new HashMap<>(run.getMetadata().getAnnotations());
            all.putAll(annotations);
            run.getMetadata().setAnnotations(all);
            return run;
        });
    }

    private static final String GATED = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: blog, namespace: direct}
            spec:
              inputs: [{name: topic, default: otters}]
              roles: [{name: writer, model: m}]
              pipeline:
                - {name: draft, role: writer, inputs: {prompt: "Write about {{ .input.topic }}"}}
                - name: review
                  dependsOn: [draft]
                  approval: {message: "Publish this? {{ .steps.draft.output }}"}
                - {name: publish, role: writer, dependsOn: [review], inputs: {prompt: "Publish with note {{ .steps.review.output }}"}}
            """;

    @Test
    void anAnnotationDecidesTheAskingItNamesAndARetryAsksAgainUnderKeysOfItsOwn() {
        cluster.create(GATED, ArkTeam.class);
        runs.createRun("g1", "blog", "");
        RunReconciler reconciler = reconciler();
        reconcile(reconciler, "g1");
        ArkRun waiting = runs.reconcile(reconciler, "g1",
                runs.answer(runs.tasks("direct.blog.writer").get(0), "a post"));
        assertThat(waiting.getStatus().phase()).isEqualTo(RunPhase.WaitingForApproval);
        assertThat(waiting.getStatus().waitingForApproval()).isEqualTo("review");
        assertThat(step(waiting, "review").approval().message()).isEqualTo("Publish this? a post");
        assertThat(step(waiting, "review").attempts()).isEqualTo(1);
        assertThat(runs.story("g1")).contains("step draft succeeded (7 tokens); step review waits for approval (ark"
                + " approve, or the annotation approve.arkonis.dev/review", "Publish this? a post");
        assertThat(askedFor).containsExactly("g1/review#1");

        annotate("g1", Map.of(Ark.ANNOTATION_REJECT_PREFIX + "review", "bob", Ark.ANNOTATION_COMMENT_PREFIX + "review",
                "no sources"));
        ArkRun rejected = reconcile(reconciler, "g1");
        assertThat(rejected.getStatus().phase()).isEqualTo(RunPhase.Failed);
        assertThat(rejected.getStatus().reason()).isEqualTo("ApprovalRejected");
        assertThat(step(rejected, "review").message()).isEqualTo("rejected by bob: no sources");
        assertThat(step(rejected, "review").approval().decidedBy()).isEqualTo("bob");
        assertThat(step(rejected, "review").approval().decision()).isEqualTo(ApprovalVerdict.Rejected);
        assertThat(step(rejected, "review").approval().decidedAt()).isNotNull();
        assertThat(runs.told("g1")).last().satisfies(e -> {
            assertThat(e.getReason()).isEqualTo("RunFailed");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).isEqualTo("step review rejected by bob: no sources; step publish skipped: depends"
                    + " on failed step review; run failed: step review was rejected by bob: no sources");
        });
        assertThat(runs.tasks("direct.blog.writer")).as("publish never ran").hasSize(1);

        // a retry asks again; the first asking's decision, which nobody may change, does not decide the second
        annotate("g1", Map.of(Ark.ANNOTATION_RETRY, "1"));
        ArkRun askedAgain = reconcile(reconciler, "g1");
        assertThat(step(askedAgain, "review").phase()).isEqualTo(StepPhase.WaitingForApproval);
        assertThat(step(askedAgain, "review").attempts()).isEqualTo(2);
        assertThat(reconcile(reconciler, "g1").getStatus().phase()).isEqualTo(RunPhase.WaitingForApproval);
        assertThat(askedFor).containsExactly("g1/review#1", "g1/review#2");

        annotate("g1", Map.of(Ark.ANNOTATION_APPROVE_PREFIX + "review.2", "alice", Ark.ANNOTATION_COMMENT_PREFIX
                + "review.2", "sources added"));
        ArkRun approved = reconcile(reconciler, "g1");
        assertThat(step(approved, "review").phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(step(approved, "review").output()).isEqualTo("sources added");
        assertThat(step(approved, "review").approval().decidedBy()).isEqualTo("alice");
        assertThat(step(approved, "review").tokenUsage().totalTokens()).isZero();
        assertThat(approved.getStatus().waitingForApproval()).isNull();
        assertThat(runs.tasks("direct.blog.writer")).last()
                .satisfies(t -> assertThat(t.fields()).containsEntry("prompt", "Publish with note sources added"));
        assertThat(runs.told("g1")).last().satisfies(e -> {
            assertThat(e.getReason()).isEqualTo("Approved");
            assertThat(e.getMessage()).isEqualTo("step review approved by alice: sources added; step publish started"
                    + " (role writer, attempt 1)");
        });
    }

    @Test
    void aDecisionMadeBeforeTheStepAsksTakesEffectWhenItDoes() {
        cluster.create(GATED, ArkTeam.class);
        runs.createRun("g2", "blog", "");
        RunReconciler reconciler = reconciler();
        reconcile(reconciler, "g2");
        annotate("g2", Map.of(Ark.ANNOTATION_APPROVE_PREFIX + "review", "alice"));
        ArkRun run = runs.reconcile(reconciler, "g2", runs.answer(runs.tasks("direct.blog.writer").get(0), "a post"));
        assertThat(step(run, "review").phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(step(run, "publish").phase()).isEqualTo(StepPhase.Running);
    }

    private static final String LINE = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: line, namespace: direct}
            spec:
              inputs: [{name: topic, default: redis}]
              timeoutSeconds: 3600
              roles: [{name: researcher, model: m}, {name: writer, model: m}]
              pipeline:
                - {role: researcher, inputs: {prompt: "Research {{ .input.topic }}"}}
                - {role: writer, dependsOn: [researcher], inputs: {prompt: "Write from {{ .steps.researcher.output }}"}}
            """;

    @Test
    void aSuspendedRunStartsNothingNewAndResumesWithItsTimeoutMovedOn() {
        cluster.create(LINE, ArkTeam.class);
        runs.createRun("s1", "line", "");
        RunReconciler reconciler = reconciler();
        String deadline = reconcile(reconciler, "s1").getStatus().deadline();
        edit("s1", run -> withSuspend(run, true));
        ArkRun suspended = runs.reconcile(reconciler, "s1",
                runs.answer(runs.tasks("direct.line.researcher").get(0), "facts"));
        assertThat(step(suspended, "researcher").phase()).as("a running step finishes").isEqualTo(StepPhase.Succeeded);
        assertThat(step(suspended, "writer").phase()).as("nothing new starts").isEqualTo(StepPhase.Pending);
        assertThat(runs.tasks("direct.line.writer")).isEmpty();
        assertThat(suspended.getStatus().suspendedAt()).isNotNull();
        assertThat(runs.events("s1")).contains("RunSuspended");

        edit("s1", run -> withSuspend(run, false));
        ArkRun resumed = reconcile(reconciler, "s1");
        assertThat(resumed.getStatus().suspendedAt()).isNull();
        assertThat(step(resumed, "writer").phase()).isEqualTo(StepPhase.Running);
        assertThat(runs.tasks("direct.line.writer")).singleElement()
                .satisfies(t -> assertThat(t.fields()).containsEntry("prompt", "Write from facts"));
        assertThat(Instant.parse(resumed.getStatus().deadline())).as("the paused time is added to the run's timeout")
                .isAfter(Instant.parse(deadline));
        assertThat(runs.events("s1")).contains("RunResumed");
    }

    private static ArkRun withSuspend(ArkRun run, boolean suspend) {
        dev.arkonis.ark.api.RunSpec spec = run.getSpec();
        run.setSpec(new dev.arkonis.ark.api.RunSpec(spec.teamRef(), spec.team(), spec.input(), spec.timeoutSeconds(),
                spec.maxTokens(), suspend, spec.cancel(), spec.resumeFrom()));
        return run;
    }

    private static ArkRun withCancel(ArkRun run) {
        dev.arkonis.ark.api.RunSpec spec = run.getSpec();
        run.setSpec(new dev.arkonis.ark.api.RunSpec(spec.teamRef(), spec.team(), spec.input(), spec.timeoutSeconds(),
                spec.maxTokens(), spec.suspend(), true, spec.resumeFrom()));
        return run;
    }

    @Test
    void aCancelledRunWithdrawsWhatIsQueuedLetsATakenTaskEndAndKeepsItsAnswer() {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: fan, namespace: direct}
                spec:
                  roles: [{name: a, model: m}, {name: b, model: m}]
                  pipeline:
                    - {name: plan, role: a, inputs: {prompt: plan}}
                    - {name: left, role: a, dependsOn: [plan], inputs: {prompt: left}}
                    - {name: right, role: b, dependsOn: [plan], inputs: {prompt: right}}
                    - {name: join, role: a, dependsOn: [left, right], inputs: {prompt: join}}
                """, ArkTeam.class);
        runs.createRun("c1", "fan", "");
        RunReconciler reconciler = reconciler();
        reconcile(reconciler, "c1");
        runs.reconcile(reconciler, "c1", runs.answer(transport.take("direct.fan.a"), "the plan"));
        MemoryTransport.Entry left = transport.take("direct.fan.a");
        assertThat(left.fields()).as("an agent took left's task").containsEntry("task", "c1/left/1");
        assertThat(runs.tasks("direct.fan.b")).hasSize(1);

        edit("c1", SteeredRunTest::withCancel);
        UpdateControl<ArkRun> control = runs.reconcileOnce(reconciler, "c1", List.of());
        assertThat(runs.tasks("direct.fan.b")).as("right's queued task is withdrawn").isEmpty();
        assertThat(control.getScheduleDelay()).as("its step's end is recorded at once").hasValueSatisfying(
                delay -> assertThat(delay).isLessThan(1000L));
        ArkRun cancelling = reconcile(reconciler, "c1");
        assertThat(step(cancelling, "right").phase()).isEqualTo(StepPhase.Cancelled);
        assertThat(step(cancelling, "join").phase()).isEqualTo(StepPhase.Cancelled);
        assertThat(step(cancelling, "left").phase()).as("its agent still works on it").isEqualTo(StepPhase.Running);
        assertThat(cancelling.getStatus().phase()).isEqualTo(RunPhase.Running);
        assertThat(cancelling.getStatus().cancelledAt()).isNotNull();

        ArkRun cancelled = runs.reconcile(reconciler, "c1", runs.answer(left, "left done"));
        assertThat(cancelled.getStatus().phase()).isEqualTo(RunPhase.Cancelled);
        assertThat(step(cancelled, "left").phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(step(cancelled, "left").output()).as("what was paid for is kept").isEqualTo("left done");
        assertThat(step(cancelled, "plan").output()).isEqualTo("the plan");
        assertThat(runs.tasks("direct.fan.a")).as("nothing started after it").hasSize(2);
        assertThat(runs.events("c1")).contains("CancelRequested", "StepCancelled", "RunCancelled");
        assertThat(runs.get("c1")).as("the run and its history stay").isNotNull();
    }

    @Test
    void aRunCreatedCancelledOrSuspendedStartsNoStep() {
        cluster.create(LINE, ArkTeam.class);
        runs.createRun("x1", "line", "cancel: true");
        runs.createRun("x2", "line", "suspend: true");
        RunReconciler reconciler = reconciler();
        assertThat(reconcile(reconciler, "x1").getStatus().phase()).isEqualTo(RunPhase.Cancelled);
        ArkRun suspended = reconcile(reconciler, "x2");
        assertThat(suspended.getStatus().phase()).isEqualTo(RunPhase.Running);
        assertThat(suspended.getStatus().suspendedAt()).isNotNull();
        assertThat(runs.tasks("direct.line.researcher")).isEmpty();
    }

    @Test
    void aRunResumedFromAStepReusesWhatCameBeforeFromTheEarlierRunsTeamAndRunsTheRestWithTheNewInput() {
        cluster.create(LINE, ArkTeam.class);
        runs.createRun("r1", "line", "");
        RunReconciler reconciler = reconciler();
        reconcile(reconciler, "r1");
        runs.reconcile(reconciler, "r1", runs.answer(runs.tasks("direct.line.researcher").get(0), "facts"));
        ArkRun done = runs.reconcile(reconciler, "r1",
                runs.answer(runs.tasks("direct.line.writer").get(0), "a draft"));
        assertThat(done.getStatus().phase()).isEqualTo(RunPhase.Succeeded);
        // the team changes after the run: the resumed run keeps the earlier run's team
        cluster.edit(ArkTeam.class, NS, "line", team -> {
            team.getSpec().pipeline().set(1, cluster.parse(LINE.replace("Write from", "Rewrite from"), ArkTeam.class)
                    .getSpec().pipeline().get(1));
            return team;
        });

        runs.createRun("r2", "line", "input: {topic: valkey}, resumeFrom: {run: r1, step: writer}");
        ArkRun resumed = reconcile(reconciler, "r2");
        StepStatus researcher = step(resumed, "researcher");
        assertThat(researcher.phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(researcher.reused()).isTrue();
        assertThat(researcher.sourceRun()).isEqualTo("r1");
        assertThat(researcher.output()).isEqualTo("facts");
        assertThat(researcher.tokenUsage().totalTokens()).isZero();
        assertThat(runs.tasks("direct.line.researcher")).as("the reused step is not sent").hasSize(1);
        assertThat(runs.tasks("direct.line.writer")).last()
                .satisfies(t -> assertThat(t.fields()).containsEntry("prompt", "Write from facts"));
        assertThat(resumed.getStatus().teamSpec()).isEqualTo(done.getStatus().teamSpec());
        assertThat(resumed.getStatus().totalTokenUsage().totalTokens()).isZero();

        runs.createRun("r3", "line", "resumeFrom: {run: nowhere, step: writer}");
        ArkRun refused = reconcile(reconciler, "r3");
        assertThat(refused.getStatus().phase()).isEqualTo(RunPhase.Failed);
        assertThat(refused.getStatus().message()).contains("run \"nowhere\" not found");
        assertThat(runs.events("r3")).contains("RunInvalidResume");
        runs.createRun("r4", "line", "resumeFrom: {run: r1, step: editor}");
        assertThat(reconcile(reconciler, "r4").getStatus().message()).contains("no step \"editor\"");
    }

    @Test
    void aCachedStepIsAnsweredFromTheCacheForNoTokensAndAChangedPromptIsAMiss() {
        cluster.create(LINE.replace("timeoutSeconds: 3600", "cache: {maxAge: 1h}"), ArkTeam.class);
        runs.createRun("k1", "line", "");
        RunReconciler reconciler = reconciler();
        reconcile(reconciler, "k1");
        runs.reconcile(reconciler, "k1", runs.answer(runs.tasks("direct.line.researcher").get(0), "facts"));
        ArkRun first = runs.reconcile(reconciler, "k1",
                runs.answer(runs.tasks("direct.line.writer").get(0), "a draft"));
        assertThat(first.getStatus().totalTokenUsage().totalTokens()).isEqualTo(14);
        assertThat(transport.cached().keySet()).anyMatch(k -> k.startsWith("direct.line.researcher.cache."))
                .anyMatch(k -> k.startsWith("direct.line.writer.cache."));

        runs.createRun("k2", "line", "");
        ArkRun second = reconcile(reconciler, "k2");
        assertThat(second.getStatus().phase()).isEqualTo(RunPhase.Succeeded);
        for (String name : List.of("researcher", "writer")) {
            assertThat(step(second, name).cached()).isTrue();
            assertThat(step(second, name).sourceRun()).isEqualTo("k1");
            assertThat(step(second, name).tokenUsage().totalTokens()).isZero();
        }
        assertThat(second.getStatus().output()).isEqualTo("a draft");
        assertThat(second.getStatus().totalTokenUsage().totalTokens()).as("only tokens actually spent").isZero();
        assertThat(runs.tasks("direct.line.researcher")).as("no task for a cached step").hasSize(1);

        runs.createRun("k3", "line", "input: {topic: valkey}");
        reconcile(reconciler, "k3");
        assertThat(runs.tasks("direct.line.researcher")).as("another prompt misses").hasSize(2);

        String metrics = telemetry.metrics().scrape("").text();
        assertThat(metrics).contains("ark_step_cache_lookups_total{namespace=\"direct\",outcome=\"hit\",role=\"researcher\",team=\"line\"} 1.0")
                .contains("ark_step_cache_lookups_total{namespace=\"direct\",outcome=\"miss\",role=\"researcher\",team=\"line\"} 2.0")
                .contains("ark_step_cache_tokens_saved_total{direction=\"input\",namespace=\"direct\",role=\"researcher\",team=\"line\"} 3.0");
    }
}
