package dev.arkonis.ark.flow;

import static dev.arkonis.ark.flow.Runs.T0;
import static dev.arkonis.ark.flow.Runs.TEN;
import static dev.arkonis.ark.flow.Runs.names;
import static dev.arkonis.ark.flow.Runs.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepCacheTest {
    private static final String TEAM = """
            inputs: [{name: topic, default: cats}]
            roles:
              - {name: r, model: gpt-4o-mini, systemPrompt: "You research."}
              - {name: w, model: gpt-4o-mini}
            cache: {maxAge: 24h}
            pipeline:
              - name: research
                role: r
                inputs: {prompt: "Research {{ .input.topic }}"}
              - name: write
                role: w
                dependsOn: [research]
                cache: {maxAge: "0"}
                inputs: {prompt: "Write {{ .steps.research.output }}"}
            """;

    private static CacheLookup lookup(PipelineRun run, TaskRequest task) {
        return run.cacheLookup(task).orElseThrow();
    }

    private static String keyOf(String yaml, String input) throws Exception {
        PipelineRun run = Runs.run(yaml, input, RunLimits.NONE);
        return lookup(run, run.start(T0).get(0)).key();
    }

    @Test
    void anAcceptedAnswerIsOfferedForTheCacheAndAHitSucceedsTheStepForNoTokens() throws Exception {
        PipelineRun first = Runs.run(TEAM);
        TaskRequest research = first.start(T0).get(0);
        CacheLookup lookup = lookup(first, research);
        assertThat(lookup.maxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(lookup.role()).isEqualTo("r");
        TaskRequest write = succeed(first, research, "facts", T0.plusSeconds(1)).get(0);
        assertThat(first.cacheLookup(write)).as("the step turns caching off for itself").isEmpty();
        assertThat(first.drainCacheWrites()).singleElement().satisfies(w -> {
            assertThat(w.key()).isEqualTo(lookup.key());
            assertThat(w.output()).isEqualTo("facts");
            assertThat(w.tokens()).isEqualTo(TEN);
            assertThat(w.run()).isEqualTo("run1");
            assertThat(w.maxAge()).isEqualTo(Duration.ofHours(24));
        });
        succeed(first, write, "post", T0.plusSeconds(2));
        assertThat(first.drainCacheWrites()).isEmpty();

        PipelineRun second = Runs.run(TEAM);
        TaskRequest again = second.start(T0.plusSeconds(60)).get(0);
        assertThat(lookup(second, again).key()).as("same role, model and prompt: same key").isEqualTo(lookup.key());
        List<TaskRequest> next = second.onResult(TaskOutcome.cached("research", again.attempt(), "facts",
                OutputOrigin.cached("run1", T0.plusSeconds(1))).forTask(again.taskId()), T0.plusSeconds(61));
        assertThat(names(next)).containsExactly("write");
        StepState cached = second.step("research");
        assertThat(cached.phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(cached.output()).isEqualTo("facts");
        assertThat(cached.tokens()).isEqualTo(TokenUsage.ZERO);
        assertThat(cached.origin()).isEqualTo(OutputOrigin.cached("run1", T0.plusSeconds(1)));
        assertThat(cached.message()).isEqualTo("cached: the output of run run1");
        assertThat(second.drainCacheWrites()).as("a hit is not written back").isEmpty();
        assertThat(second.totalTokens()).isEqualTo(TokenUsage.ZERO);

        PipelineRun restored = Runs.restored(second, TEAM);
        assertThat(restored.step("research").origin()).isEqualTo(cached.origin());
    }

    @Test
    void aCachedStepCountsNothingTowardsTheRunsBudget() throws Exception {
        PipelineRun paid = Runs.run(TEAM, "{}", new RunLimits(null, 5L));
        TaskRequest first = paid.start(T0).get(0);
        assertThat(succeed(paid, first, "facts", T0)).as("10 tokens spent of 5: nothing more starts").isEmpty();
        assertThat(paid.reason()).isEqualTo(PipelineRun.REASON_BUDGET_EXCEEDED);

        PipelineRun run = Runs.run(TEAM, "{}", new RunLimits(null, 5L));
        TaskRequest research = run.start(T0).get(0);
        List<TaskRequest> next = run.onResult(TaskOutcome.cached("research", research.attempt(), "facts",
                OutputOrigin.cached("run0", T0)).forTask(research.taskId()), T0);
        assertThat(names(next)).as("no budget spent: the next step starts").containsExactly("write");
        assertThat(run.totalTokens()).isEqualTo(TokenUsage.ZERO);
    }

    @Test
    void theKeyChangesWithThePromptTheModelTheSystemPromptTheToolsAndTheChecksButNotWithReplicasOrBudgets() throws Exception {
        String base = keyOf(TEAM, "{}");
        assertThat(keyOf(TEAM, "{}")).isEqualTo(base);
        assertThat(keyOf(TEAM, "{\"topic\": \"dogs\"}")).as("rendered prompt").isNotEqualTo(base);
        assertThat(keyOf(TEAM.replace("{name: r, model: gpt-4o-mini,", "{name: r, model: gpt-4o,"), "{}")).as("model")
                .isNotEqualTo(base);
        assertThat(keyOf(TEAM.replace("You research.", "You research carefully."), "{}")).as("system prompt")
                .isNotEqualTo(base);
        assertThat(keyOf(TEAM.replace("systemPrompt: \"You research.\"}", "systemPrompt: \"You research.\", "
                + "tools: [{name: t, url: \"http://x\"}]}"), "{}")).as("tools").isNotEqualTo(base);
        assertThat(keyOf(TEAM.replace("    inputs: {prompt: \"Research", "    outputSchema: '{\"type\": \"object\"}'\n"
                + "    inputs: {prompt: \"Research"), "{}")).as("checks").isNotEqualTo(base);
        assertThat(keyOf(TEAM.replace("systemPrompt: \"You research.\"}", "systemPrompt: \"You research.\", replicas: 3, "
                + "limits: {maxDailyTokens: 100, timeoutSeconds: 30}}"), "{}")).as("scale and budget").isEqualTo(base);
        assertThat(keyOf(TEAM.replace("systemPrompt: \"You research.\"}", "systemPrompt: \"You research.\", "
                + "limits: {maxTokensPerCall: 100}}"), "{}")).as("what one call may answer").isNotEqualTo(base);
        assertThat(StepCacheKey.salted(base, "")).isEqualTo(base);
        assertThat(StepCacheKey.salted(base, "provider=mock")).isNotEqualTo(base).hasSize(64);
    }

    @Test
    void onlyTheFirstTryOfACachedStepsOwnPromptIsLookedUp() throws Exception {
        String schema = TEAM.replace("    inputs: {prompt: \"Research", "    outputSchema: '{\"type\": \"object\"}'\n"
                + "    inputs: {prompt: \"Research");
        PipelineRun run = Runs.run(schema, "{}", RunLimits.NONE);
        TaskRequest first = run.start(T0).get(0);
        String key = lookup(run, first).key();
        TaskRequest retry = succeed(run, first, "not json", T0).get(0);
        assertThat(run.cacheLookup(retry)).as("a retry with feedback is another prompt").isEmpty();
        assertThat(run.cacheLookup(first)).as("a stale task").isEmpty();
        succeed(run, retry, "{\"ok\": true}", T0);
        assertThat(run.drainCacheWrites()).singleElement().satisfies(w -> {
            assertThat(w.key()).as("kept under the first prompt's key").isEqualTo(key);
            assertThat(w.output()).isEqualTo("{\"ok\": true}");
            assertThat(w.tokens()).as("what both attempts cost").isEqualTo(TEN.plus(TEN));
        });
    }

    @Test
    void loopAndApprovalStepsAreNeverCachedAndStepsWithoutACacheAreNotLookedUp() throws Exception {
        PipelineRun run = Runs.run("""
                roles: [{name: r, model: m}]
                cache: {maxAge: 1h}
                pipeline:
                  - name: refine
                    role: r
                    loop: {condition: "{{ lt .steps.refine.iteration 2 }}"}
                  - {name: gate, approval: {message: "ok?"}, dependsOn: [refine]}
                """);
        TaskRequest refine = run.start(T0).get(0);
        assertThat(run.cacheLookup(refine)).isEmpty();
        PipelineRun plain = Runs.run("""
                roles: [{name: r, model: m}]
                pipeline: [{name: s, role: r}]
                """);
        TaskRequest s = plain.start(T0).get(0);
        assertThat(plain.cacheLookup(s)).isEqualTo(Optional.empty());
        succeed(plain, s, "out", T0);
        assertThat(plain.drainCacheWrites()).isEmpty();
    }
}
