package dev.arkonis.ark.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.RunLimits;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TeamFileLoader;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.LlmProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalRunnerTest {

    private static PipelineRun run(String specYaml, RunLimits limits) throws Exception {
        String yaml = "kind: ArkTeam\nmetadata: {name: t}\nspec:\n" + specYaml.indent(2);
        JsonSchemas schemas = new JsonSchemas();
        Pipeline pipeline = Pipeline.compile(new TeamFileLoader().load(yaml).teams().get(0).spec(), new TeamValidator(schemas));
        return new PipelineRun(pipeline, "r", JsonNodeFactory.instance.objectNode(), limits, new OutputChecker(schemas));
    }

    @Test
    void aRoleNeverRunsMoreTasksAtOnceThanItsReplicasTimesItsConcurrency() throws Exception {
        StringBuilder yaml = new StringBuilder("roles: [{name: r, model: m, replicas: 1, limits: {maxConcurrentTasks: 2}}]\npipeline:\n");
        for (int i = 0; i < 8; i++) {
            yaml.append("  - {name: s").append(i).append(", role: r}\n");
        }
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch twoStarted = new CountDownLatch(2);
        LlmProvider slowish = request -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            twoStarted.countDown();
            try {
                // hold the slot until a second task has started, so the cap is actually exercised
                twoStarted.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return new Completion("ok", List.of(TokenUsage.of(1, 1)));
        };
        PipelineRun result = new LocalRunner(role -> slowish, LocalRunObserver.NONE, Clock.systemUTC())
                .run(run(yaml.toString(), RunLimits.NONE));
        assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(peak.get()).isEqualTo(2);
        assertThat(result.totalTokens().totalTokens()).isEqualTo(16);
    }

    @Test
    void aStepThatOutlivesItsTimeoutFailsAndTheRunEnds() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        LlmProvider hangs = request -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Completion("late", List.of());
        };
        PipelineRun result = new LocalRunner(role -> hangs, LocalRunObserver.NONE, Clock.systemUTC())
                .run(run("roles: [{name: r, model: m}]\npipeline: [{role: r, timeoutSeconds: 1}]\n", RunLimits.NONE));
        assertThat(result.phase()).isEqualTo(RunPhase.Failed);
        assertThat(result.step("r").message()).isEqualTo("timed out after 1s");
    }

    @Test
    void theRunTimeoutEndsARunThatWaitsOnAModel() throws Exception {
        LlmProvider hangs = request -> {
            try {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Completion("late", List.of());
        };
        PipelineRun result = new LocalRunner(role -> hangs, LocalRunObserver.NONE, Clock.systemUTC())
                .run(run("roles: [{name: r, model: m}]\npipeline: [{role: r}]\n", new RunLimits(Duration.ofMillis(300), null)));
        assertThat(result.phase()).isEqualTo(RunPhase.TimedOut);
    }

    @Test
    void theObserverHearsEveryStepStartAndEnd() throws Exception {
        ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
        LocalRunObserver observer = new LocalRunObserver() {
            @Override
            public void stepChanged(StepState step) {
                heard.add(step.name() + ":" + step.phase());
            }
        };
        LlmProvider echo = request -> new Completion(request.prompt(), List.of(TokenUsage.of(1, 1)));
        PipelineRun result = new LocalRunner(role -> echo, observer, Clock.systemUTC())
                .run(run("roles: [{name: r, model: m}]\npipeline: [{name: a, role: r}, {name: b, role: r, dependsOn: [a]}]\n",
                        RunLimits.NONE));
        assertThat(result.step("b").phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(heard).containsExactly("a:Running", "a:Succeeded", "b:Running", "b:Succeeded");
    }

    @Test
    void everyAttemptIsReportedWithTheRawReplyAndWhyItWasRejected() throws Exception {
        // first answer is not JSON, the second one is
        AtomicInteger calls = new AtomicInteger();
        LlmProvider provider = request -> new Completion(calls.incrementAndGet() == 1 ? "Sure! Here it is: {oops"
                : "{\"title\": \"ok\"}", List.of(TokenUsage.of(3, 4)));
        List<Attempt> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        LocalRunObserver observer = new LocalRunObserver() {
            @Override
            public void attemptFinished(Attempt attempt) {
                attempts.add(attempt);
            }
        };
        PipelineRun result = new LocalRunner(role -> provider, observer, Clock.systemUTC()).run(run("""
                roles: [{name: r, model: m}]
                pipeline:
                  - role: r
                    outputSchema: '{"type":"object","required":["title"]}'
                """, RunLimits.NONE));

        assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0)).satisfies(a -> {
            assertThat(a.attempt()).isEqualTo(1);
            assertThat(a.rawOutput()).isEqualTo("Sure! Here it is: {oops");
            assertThat(a.rejectedByChecks()).isTrue();
            assertThat(a.problem()).startsWith("output is not valid JSON");
            assertThat(a.tokens()).isEqualTo(TokenUsage.of(3, 4));
        });
        assertThat(attempts.get(1).accepted()).isTrue();
        assertThat(attempts.get(1).rawOutput()).isEqualTo("{\"title\": \"ok\"}");
    }

    @Test
    void providerRetriesReachTheObserverWithTheStep() throws Exception {
        LlmProvider provider = request -> {
            request.retries().retrying(new dev.arkonis.ark.llm.RetryNotice("openai", "http://x/v1/chat/completions",
                    "503 service unavailable", 2, 8, Duration.ofMillis(500)));
            return new Completion("fine", List.of(TokenUsage.of(1, 1)));
        };
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        LocalRunObserver observer = new LocalRunObserver() {
            @Override
            public void providerRetry(String step, dev.arkonis.ark.llm.RetryNotice notice) {
                heard.add(step + ": " + notice.brief());
            }
        };
        new LocalRunner(role -> provider, observer, Clock.systemUTC())
                .run(run("roles: [{name: r, model: m}]\npipeline: [{role: r, name: ask}]", RunLimits.NONE));
        assertThat(heard).containsExactly("ask: retry 2/8 in 0.5s: 503 service unavailable");
    }
}
