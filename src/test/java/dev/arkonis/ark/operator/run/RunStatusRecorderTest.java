package dev.arkonis.ark.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunSpec;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.api.TeamRef;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.RunLimits;
import dev.arkonis.ark.flow.RunRecord;
import dev.arkonis.ark.flow.TaskOutcome;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.operator.StatusRecorders;
import dev.arkonis.ark.queue.MemoryTransport;
import dev.arkonis.ark.queue.TaskResult;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The status recorder's size rules (a limit per output, a budget for all of them, whole texts saved once) and its
 * mapper's round trip of the engine's step state; whole outputs kept by the transport in memory.
 */
class RunStatusRecorderTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shortOutputsStayWholeAndLongOnesShareWhatTheBudgetLeaves() {
        OutputBudget budget = new OutputBudget(100, 150);
        assertThat(budget.cap(new int[] {10, 20, 30})).as("all fit").isEqualTo(100);
        assertThat(budget.cap(new int[] {10, 500, 500})).as("10 stays whole, the two long share 140").isEqualTo(70);
        assertThat(budget.cap(new int[] {500, 500, 500, 500, 500})).isEqualTo(30);
        assertThat(Utf8.cut("añb€c😀d", 7)).isEqualTo("añb€");
        assertThat(Utf8.cut("😀😀", 5)).as("never half a character").isEqualTo("😀");
        assertThat(Utf8.length("añb€c😀d")).isEqualTo(13);
    }

    @Test
    void theStatusStaysWithinItsBudgetSaysWhatWasCutAndSavesEachWholeOutputOnce() throws Exception {
        ArkTeam team = Serialization.unmarshal("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: big, namespace: ns}
                spec:
                  roles: [{name: w, model: m}]
                  pipeline:
                    - {name: a, role: w}
                    - {name: b, role: w}
                    - {name: c, role: w}
                    - {name: tiny, role: w}
                """, ArkTeam.class);
        PipelineRun engine = engine(team);
        List<TaskRequest> tasks = engine.start(T0);
        String large = "é".repeat(3000); // 6,000 bytes in UTF-8
        for (TaskRequest task : tasks) {
            engine.onResult(TaskOutcome.success(task.step(), 1, task.step().equals("tiny") ? "ok" : task.step() + large,
                    TokenUsage.of(1, 1)), T0);
        }
        LiveRun live = new LiveRun("uid-1", "big", new ObjectMapper().valueToTree(team.getSpec()), engine, "1", null);
        ArkRun run = new ArkRun();
        run.setMetadata(new ObjectMetaBuilder().withName("r1").withNamespace("ns").withUid("uid-1").build());
        MemoryTransport outputs = new MemoryTransport();
        RunStatusRecorder recorder = new RunStatusRecorder(new RunStatusMapper(outputs), outputs,
                new OutputBudget(4096, 10_000), new StatusRecorders(null, false, java.time.Clock.systemUTC())
                        .of(ArkRun.class, RunStatus.EMPTY, RunReconciler.NAME).writingBy((r, s, c) -> r));
        RunObservation seen = new RunObservation(List.of(), Map.of(), null, Set.of(), 0, java.util.Optional.empty(),
                RunObservation.Steering.NONE, java.util.Optional.empty());

        RunStatus status = recorder.status(run, live, seen, T0);
        long kept = status.steps().stream().mapToLong(s -> s.output().getBytes(StandardCharsets.UTF_8).length).sum()
                + status.output().getBytes(StandardCharsets.UTF_8).length;
        assertThat(kept).as("the outputs share what the rest of the status leaves").isGreaterThan(5_000);
        assertThat(Serialization.asJson(status).getBytes(StandardCharsets.UTF_8).length)
                .as("the whole status, outputs and the rest, stays within the budget").isLessThanOrEqualTo(10_000);
        assertThat(status.steps()).filteredOn(s -> Boolean.TRUE.equals(s.outputTruncated()))
                .extracting(StepStatus::name).containsExactly("a", "b", "c");
        StepStatus tiny = status.steps().get(3);
        assertThat(tiny.output()).isEqualTo("ok");
        assertThat(tiny.outputTruncated()).isNull();
        assertThat(status.steps().get(0).output()).startsWith("aé").doesNotContain("\uFFFD");
        assertThat(outputs.loadOutput("ns.big.w.outputs.r1.a")).contains("a" + large);
        assertThat(outputs.loadOutput("ns.big.outputs.r1")).as("the run's output (the last step's) is short").isEmpty();

        // saved once: recording the same run again does not write the whole texts again
        outputs.dropOutput("ns.big.w.outputs.r1.a");
        assertThat(recorder.status(run, live, seen, T0)).isEqualTo(status);
        assertThat(outputs.loadOutput("ns.big.w.outputs.r1.a")).isEmpty();

        // the run is deleted: the whole outputs kept for it go with it
        run.setSpec(new RunSpec(new TeamRef("big"), null, null, null, null));
        run.setStatus(status);
        assertThat(outputs.loadOutput("ns.big.w.outputs.r1.b")).isPresent();
        recorder.dropOutputs(run);
        assertThat(List.of("a", "b", "c", "tiny")).allSatisfy(step ->
                assertThat(outputs.loadOutput("ns.big.w.outputs.r1." + step)).as(step).isEmpty());
    }

    @Test
    void aStepsQueueWaitGoesIntoTheStatusAndComesBackAndAnOldStatusWithoutItReadsAsUnknown() throws Exception {
        ArkTeam team = Serialization.unmarshal("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: pair, namespace: ns}
                spec:
                  roles: [{name: w, model: m}]
                  pipeline:
                    - {name: a, role: w}
                    - {name: b, role: w, dependsOn: [a]}
                """, ArkTeam.class);
        PipelineRun engine = engine(team);
        TaskRequest a = engine.start(T0).get(0);
        TaskRequest b = engine.onResult(TaskOutcome.success("a", a.attempt(), "x", TokenUsage.of(1, 1))
                .withQueueWait(Duration.ofMillis(420)), T0.plusSeconds(1)).get(0);
        engine.onResult(TaskOutcome.success("b", b.attempt(), "y", TokenUsage.of(1, 1)), T0.plusSeconds(2));
        RunStatusMapper mapper = new RunStatusMapper(new MemoryTransport());

        RunStatus status = mapper.toStatus(engine, null, null, null, 1L, Map.of(), 4096, new OutputMemo(), T0);
        assertThat(status.steps().get(0).queueWaitMs()).isEqualTo(420L);
        assertThat(status.steps().get(1).queueWaitMs()).as("no agent said: left out").isNull();
        assertThat(Serialization.asJson(status.steps().get(1))).doesNotContain("queueWaitMs");

        RunRecord record = mapper.toRecord(runWith(status), "pair");
        assertThat(record.steps().get(0).queueWait()).isEqualTo(Duration.ofMillis(420));
        assertThat(record.steps().get(1).queueWait()).isNull();

        // a status written before the field existed
        String json = Serialization.asJson(status);
        assertThat(json).contains("\"queueWaitMs\":420");
        json = json.replaceAll(",?\"queueWaitMs\":\\d+", "");
        RunStatus old = Serialization.unmarshal(json, RunStatus.class);
        assertThat(old.steps().get(0).queueWaitMs()).isNull();
        assertThat(mapper.toRecord(runWith(old), "pair").steps().get(0).queueWait()).isNull();
    }

    @Test
    void whatAStepsCallsCameToGoesIntoTheStatusFromTheAgentsResultAndComesBack() throws Exception {
        ArkTeam team = Serialization.unmarshal("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: pair, namespace: ns}
                spec:
                  roles: [{name: w, model: m}]
                  pipeline:
                    - {name: a, role: w}
                    - {name: b, role: w, dependsOn: [a]}
                """, ArkTeam.class);
        PipelineRun engine = engine(team);
        TaskRequest a = engine.start(T0).get(0);
        // as an agent reports it: the model that answered, why, the wait, the tokens with their cache parts and cost
        TaskResult fellBack = TaskResult.succeeded(a.taskId(), "x", 1200, 30, "pod-1", 5, Map.of("step", "a",
                "attempt", "1")).withUsage(new TokenUsage(1200, 30, 1230, 1024, 0, new BigDecimal("0.0001212")),
                "backup", "primary: openai: 503 service unavailable", Duration.ofMillis(1500));
        TaskRequest b = engine.onResult(RunDriver.outcome(fellBack), T0.plusSeconds(1)).get(0);
        TaskResult first = TaskResult.succeeded(b.taskId(), "y", 100, 10, "pod-1", 5, Map.of("step", "b",
                "attempt", "1")).withUsage(TokenUsage.of(100, 10).withCost(new BigDecimal("0.00035")), "primary", null,
                Duration.ZERO);
        engine.onResult(RunDriver.outcome(first), T0.plusSeconds(2));
        RunStatusMapper mapper = new RunStatusMapper(new MemoryTransport());

        RunStatus status = mapper.toStatus(engine, null, null, null, 1L, Map.of(), 4096, new OutputMemo(), T0);
        StepStatus stepA = status.steps().get(0);
        assertThat(stepA.model()).isEqualTo("backup");
        assertThat(stepA.modelReason()).isEqualTo("primary: openai: 503 service unavailable");
        assertThat(stepA.rateLimitWaitMs()).isEqualTo(1500L);
        assertThat(stepA.message()).isEqualTo("answered by backup (primary: openai: 503 service unavailable); "
                + "waited 1.5s for the shared rate limit");
        assertThat(stepA.tokenUsage()).isEqualTo(new TokenUsage(1200, 30, 1230, 1024, 0, new BigDecimal("0.0001212")));
        assertThat(status.steps().get(1).model()).isEqualTo("primary");
        assertThat(status.steps().get(1).modelReason()).isNull();
        assertThat(status.steps().get(1).message()).isNull();
        assertThat(status.totalTokenUsage().costUSD()).as("the run's cost, every step's").isEqualByComparingTo("0.0004712");
        assertThat(Serialization.asJson(status)).contains("\"costUSD\":0.0004712", "\"cachedInputTokens\":1024");

        RunStatus again = mapper.toStatus(PipelineRun.restore(engine.pipeline(), "r1", new ObjectMapper().createObjectNode(),
                RunLimits.NONE, new OutputChecker(new JsonSchemas()), mapper.toRecord(runWith(status), "pair")), null, null,
                null, 1L, Map.of(), 4096, new OutputMemo(), T0);
        assertThat(again.steps()).as("a restarted operator carries it on").isEqualTo(status.steps());
        assertThat(again.totalTokenUsage()).isEqualTo(status.totalTokenUsage());
    }

    private static PipelineRun engine(ArkTeam team) throws Exception {
        Pipeline pipeline = Pipeline.compile(team.getSpec(), new TeamValidator(new JsonSchemas()));
        return new PipelineRun(pipeline, "r1", new ObjectMapper().createObjectNode(), RunLimits.NONE,
                new OutputChecker(new JsonSchemas()));
    }

    private static ArkRun runWith(RunStatus status) {
        ArkRun run = new ArkRun();
        run.setMetadata(new ObjectMetaBuilder().withName("r1").withNamespace("ns").build());
        run.setStatus(status);
        return run;
    }
}
