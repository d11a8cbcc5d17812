package dev.arkonis.ark.flow;

import static dev.arkonis.ark.flow.Runs.T0;
import static dev.arkonis.ark.flow.Runs.TEN;
import static dev.arkonis.ark.flow.Runs.names;
import static dev.arkonis.ark.flow.Runs.restored;
import static dev.arkonis.ark.flow.Runs.run;
import static dev.arkonis.ark.flow.Runs.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunControlTest {
    private static final String FAN = """
            roles: [{name: r, model: m}]
            timeoutSeconds: 600
            pipeline:
              - {name: plan, role: r}
              - {name: left, role: r, dependsOn: [plan]}
              - {name: right, role: r, dependsOn: [plan]}
              - {name: join, role: r, dependsOn: [left, right]}
            """;
    private static final RunLimits TEN_MINUTES = new RunLimits(Duration.ofMinutes(10), null);

    @Test
    void aSuspendedRunLetsRunningStepsFinishButStartsNothingUntilResumed() throws Exception {
        PipelineRun run = run(FAN, "{}", TEN_MINUTES);
        TaskRequest plan = run.start(T0).get(0);
        assertThat(run.setSuspended(true, T0.plusSeconds(10))).isEmpty();
        assertThat(run.control().suspendedAt()).isEqualTo(T0.plusSeconds(10));

        assertThat(succeed(run, plan, "p", T0.plusSeconds(20))).as("plan's result is applied, its dependents wait").isEmpty();
        assertThat(run.step("plan").phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(run.step("left").phase()).isEqualTo(StepPhase.Pending);
        assertThat(run.phase()).isEqualTo(RunPhase.Running);
        assertThat(run.onTime(T0.plus(Duration.ofMinutes(30)))).as("the run's timeout pauses with it").isEmpty();
        assertThat(run.phase()).isEqualTo(RunPhase.Running);
        assertThat(run.nextDeadline()).as("no timeout fires while suspended").isEmpty();

        // survives a restart of whoever drives it
        PipelineRun again = restored(run, FAN, "{}", TEN_MINUTES);
        assertThat(again.control().suspended()).isTrue();
        assertThat(again.resume(T0.plus(Duration.ofMinutes(40)))).isEmpty();

        List<TaskRequest> next = again.setSuspended(false, T0.plus(Duration.ofMinutes(40)).plusSeconds(10));
        assertThat(names(next)).containsExactly("left", "right");
        assertThat(again.control().suspended()).isFalse();
        // 10 minutes from the start, moved on by the 40 minutes it was suspended
        assertThat(again.runDeadline()).contains(T0.plus(Duration.ofMinutes(50)));
        assertThat(again.setSuspended(false, T0.plus(Duration.ofMinutes(41)))).as("saying it twice changes nothing").isEmpty();
    }

    @Test
    void aSuspendedRunStillRetriesItsRunningStepAndTakesApprovalsButStartsNoneOfTheirDependents() throws Exception {
        PipelineRun run = run("""
                roles: [{name: r, model: m}]
                pipeline:
                  - {name: gate, approval: {message: "go", timeout: 1h}}
                  - {name: after, role: r, dependsOn: [gate]}
                """);
        run.start(T0);
        run.setSuspended(true, T0.plusSeconds(60));
        assertThat(run.onTime(T0.plus(Duration.ofHours(2)))).isEmpty();
        assertThat(run.step("gate").phase()).as("the approval's timeout pauses too").isEqualTo(StepPhase.WaitingForApproval);
        assertThat(run.decide(ApprovalDecision.approve("gate", "alice", null, T0.plus(Duration.ofHours(2))),
                T0.plus(Duration.ofHours(2)))).isEmpty();
        assertThat(run.step("gate").phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(names(run.setSuspended(false, T0.plus(Duration.ofHours(3))))).containsExactly("after");
    }

    @Test
    void resumingMovesAnApprovalsTimeoutOnByTheTimeSuspended() throws Exception {
        PipelineRun run = run("""
                roles: [{name: r, model: m}]
                pipeline:
                  - {name: gate, approval: {message: "go", timeout: 1h}}
                """);
        run.start(T0);
        run.setSuspended(true, T0.plus(Duration.ofMinutes(15)));
        run.setSuspended(false, T0.plus(Duration.ofMinutes(45)));
        assertThat(run.step("gate").deadline()).isEqualTo(T0.plus(Duration.ofMinutes(90)));
        run.onTime(T0.plus(Duration.ofMinutes(89)));
        assertThat(run.step("gate").phase()).isEqualTo(StepPhase.WaitingForApproval);
        run.onTime(T0.plus(Duration.ofMinutes(90)));
        assertThat(run.step("gate").phase()).isEqualTo(StepPhase.Failed);
    }

    @Test
    void cancellingWithdrawsQueuedTasksWaitsForATakenOneKeepsItsAnswerAndEndsCancelled() throws Exception {
        PipelineRun run = run(FAN);
        List<TaskRequest> branches = succeed(run, run.start(T0).get(0), "p", T0.plusSeconds(1));
        assertThat(names(branches)).containsExactly("left", "right");

        List<StepState> running = run.cancel(T0.plusSeconds(2));
        assertThat(running).extracting(StepState::name).containsExactly("left", "right");
        assertThat(run.step("join").phase()).isEqualTo(StepPhase.Cancelled);
        assertThat(run.step("join").message()).isEqualTo("cancelled");
        assertThat(run.phase()).as("left's task was taken by an agent: the run waits for it").isEqualTo(RunPhase.Running);
        assertThat(run.cancel(T0.plusSeconds(3))).as("cancelling twice changes nothing").isEmpty();

        run.taskWithdrawn("right", T0.plusSeconds(2));
        assertThat(run.step("right").phase()).isEqualTo(StepPhase.Cancelled);
        assertThat(run.step("right").message()).isEqualTo("cancelled before an agent took its task");
        assertThat(run.phase()).isEqualTo(RunPhase.Running);

        // the taken task ends: its answer and tokens are kept, nothing starts after it
        PipelineRun again = restored(run, FAN);
        assertThat(again.control().cancelledAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(again.resume(T0.plusSeconds(4))).isEmpty();
        assertThat(succeed(again, branches.get(0), "L", T0.plusSeconds(5))).isEmpty();
        assertThat(again.step("left").phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(again.step("left").output()).isEqualTo("L");
        assertThat(again.phase()).isEqualTo(RunPhase.Cancelled);
        assertThat(again.reason()).isEqualTo(PipelineRun.REASON_CANCELLED);
        assertThat(again.completionTime()).isEqualTo(T0.plusSeconds(5));
        assertThat(again.totalTokens()).as("plan and left").isEqualTo(TokenUsage.of(12, 8));
        assertThat(again.step("plan").output()).as("history kept").isEqualTo("p");
    }

    @Test
    void aCancelledRunsTakenStepGetsNoRetryAndKeepsItsRejectedAnswer() throws Exception {
        PipelineRun run = run("""
                roles: [{name: r, model: m}]
                pipeline:
                  - name: j
                    role: r
                    outputSchema: '{"type": "object", "required": ["n"]}'
                """);
        TaskRequest task = run.start(T0).get(0);
        run.cancel(T0.plusSeconds(1));
        assertThat(succeed(run, task, "not json", T0.plusSeconds(2))).as("no retry with feedback").isEmpty();
        assertThat(run.step("j").phase()).isEqualTo(StepPhase.Cancelled);
        assertThat(run.step("j").output()).isEqualTo("not json");
        assertThat(run.step("j").tokens()).isEqualTo(TEN);
        assertThat(run.phase()).isEqualTo(RunPhase.Cancelled);
    }

    @Test
    void aTakenTaskThatNeverAnswersEndsTheCancelledRunAtItsDeadline() throws Exception {
        PipelineRun run = run(FAN);
        TaskRequest plan = run.start(T0).get(0);
        run.cancel(T0.plusSeconds(1));
        assertThat(run.nextDeadline()).contains(plan.deadline());
        run.onTime(plan.deadline());
        assertThat(run.step("plan").phase()).isEqualTo(StepPhase.Cancelled);
        assertThat(run.phase()).isEqualTo(RunPhase.Cancelled);
    }

    @Test
    void cancellingARunWaitingForApprovalEndsItAtOnce() throws Exception {
        PipelineRun run = run("""
                roles: [{name: r, model: m}]
                pipeline:
                  - {name: gate, approval: {message: "go"}}
                  - {name: after, role: r, dependsOn: [gate]}
                """);
        run.start(T0);
        assertThat(run.cancel(T0.plusSeconds(1))).isEmpty();
        assertThat(run.step("gate").phase()).isEqualTo(StepPhase.Cancelled);
        assertThat(run.step("after").phase()).isEqualTo(StepPhase.Cancelled);
        assertThat(run.phase()).isEqualTo(RunPhase.Cancelled);
        assertThat(run.decide(ApprovalDecision.approve("gate", "alice", null, T0.plusSeconds(2)), T0.plusSeconds(2))).isEmpty();
        assertThat(run.setSuspended(true, T0.plusSeconds(3))).isEmpty();
        assertThat(run.control().suspended()).as("a finished run is not suspended any more").isFalse();
    }

    @Test
    void aRunCancelledBeforeItStartedEndsWithEveryStepCancelled() throws Exception {
        PipelineRun run = run(FAN);
        assertThat(run.cancel(T0)).isEmpty();
        assertThat(run.phase()).isEqualTo(RunPhase.Cancelled);
        assertThat(run.steps()).extracting(StepState::phase).containsOnly(StepPhase.Cancelled);
        assertThat(run.start(T0)).isEmpty();
    }
}
