package dev.arkonis.ark.flow;

import static dev.arkonis.ark.flow.Directories.agent;
import static dev.arkonis.ark.flow.Directories.capability;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.Capability;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routed mode: one router call picks the capability, the agent holding it does the task, else the fallback. */
class RoutingTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final TokenUsage TEN = TokenUsage.of(6, 4);
    private static final String OPS = """
            routing: {registryRef: {name: ops-registry}, model: router-model, fallback: general-assistant}
            timeoutSeconds: 600
            """;

    private static StaticDirectory fleet(Map<String, Integer> loads) {
        return Directories.of("ops", loads, 1,
                agent("frontend-engineer", capability("frontend-debug", "frontend"), capability("frontend-performance")),
                agent("backend-engineer", 300, capability("backend-debug"), capability("database-query", "sql")),
                agent("backend-replica", capability("database-query", "sql")),
                agent("general-assistant"));
    }

    private static PipelineRun run(String spec, AgentDirectory directory) throws Exception {
        Pipeline pipeline = Teams.pipeline(spec);
        ObjectNode input = new InputResolver().resolve(pipeline.spec(),
                new ObjectMapper().readTree("{\"task\": \"The user search query takes 8 seconds\", \"code\": \"SELECT 1\"}"));
        return new PipelineRun(pipeline, "run1", input, RunLimits.NONE, new OutputChecker(new JsonSchemas()))
                .useDirectory(directory);
    }

    private static TaskOutcome answer(TaskRequest task, String output) {
        return TaskOutcome.success(task.step(), task.attempt(), output, TEN).forTask(task.taskId());
    }

    @Test
    void theRouterChoosesACapabilityAndTheLeastBusyAgentHoldingItDoesTheTask() throws Exception {
        PipelineRun run = run(OPS, fleet(Map.of("backend-engineer", 3)));
        TaskRequest router = run.start(T0).get(0);
        assertThat(router.taskId()).isEqualTo("run1/route/1/router");
        assertThat(router.role()).isEqualTo("router");
        assertThat(router.agent().queue("ns", "ops")).isEqualTo("ns.ops.router");
        assertThat(router.tools().route()).extracting(Capability::id).containsExactly("backend-debug", "database-query",
                "frontend-debug", "frontend-performance");
        assertThat(router.prompt()).startsWith("Task:\nThe user search query takes 8 seconds\n\ncode:\nSELECT 1\n\n"
                + "Capabilities:\n- backend-debug: does backend-debug\n- database-query: does database-query (tags: sql)\n");
        assertThat(router.deadline()).isEqualTo(T0.plusSeconds(60));
        assertThat(run.step("route").message()).isEqualTo("routing: router-model chooses among 4 capabilities");

        List<TaskRequest> work = run.onResult(answer(router,
                "{\"capability\": \"database-query\", \"reason\": \"a slow SQL query\"}"), T0.plusSeconds(2));
        assertThat(work).singleElement().satisfies(t -> {
            assertThat(t.taskId()).isEqualTo("run1/route/1");
            assertThat(t.agent()).isEqualTo(AgentRef.standalone("backend-replica"));
            assertThat(t.agent().queue("ns", "ops")).isEqualTo("ns.backend-replica");
            assertThat(t.prompt()).isEqualTo("The user search query takes 8 seconds\n\ncode:\nSELECT 1");
            assertThat(t.tools().isEmpty()).isTrue();
        });
        StepState route = run.step("route");
        assertThat(route.assignment()).isEqualTo(new StepState.Assignment("backend-replica", "database-query",
                "a slow SQL query"));
        assertThat(route.phase()).isEqualTo(StepPhase.Running);

        run.onResult(answer(work.get(0), "add an index"), T0.plusSeconds(5));
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(run.output()).isEqualTo("add an index");
        assertThat(run.step("route").tokens()).isEqualTo(TokenUsage.of(12, 8));
    }

    @Test
    void aRefusedAnswerAFailedRouterAnUnheldCapabilityOrASilentRouterGoToTheFallbackAndSaySo() throws Exception {
        PipelineRun refused = run(OPS, fleet(Map.of()));
        TaskRequest router = refused.start(T0).get(0);
        TaskRequest work = refused.onResult(answer(router, "This is about standups, no single capability fits."), T0).get(0);
        assertThat(work.agent().agent()).isEqualTo("general-assistant");
        assertThat(refused.step("route").assignment()).isEqualTo(new StepState.Assignment("general-assistant", null,
                "the router chose no capability (\"This is about standups, no single capability fits.\"); fallback "
                        + "general-assistant"));

        PipelineRun failed = run(OPS, fleet(Map.of()));
        TaskRequest call = failed.start(T0).get(0);
        failed.onResult(TaskOutcome.failure(call.step(), 1, "openai: 503", TokenUsage.ZERO).forTask(call.taskId()), T0);
        assertThat(failed.step("route").assignment().reason())
                .isEqualTo("the router call failed: openai: 503; fallback general-assistant");

        PipelineRun unheld = run(OPS, fleet(Map.of()));
        TaskRequest asked = unheld.start(T0).get(0);
        unheld.onResult(answer(asked, "{\"capability\": \"cloud-cost\", \"reason\": \"money\"}"), T0);
        assertThat(unheld.step("route").assignment().reason())
                .isEqualTo("the router chose cloud-cost, which no agent has; fallback general-assistant");

        PipelineRun silent = run(OPS, fleet(Map.of()));
        silent.start(T0);
        List<TaskRequest> after = silent.onTime(T0.plusSeconds(60));
        assertThat(after).singleElement().extracting(TaskRequest::taskId).isEqualTo("run1/route/1");
        assertThat(silent.step("route").assignment().reason())
                .isEqualTo("the router call failed: the router did not answer within 60s; fallback general-assistant");
        // the router's late answer is not applied any more
        assertThat(silent.onResult(answer(router, "{\"capability\": \"frontend-debug\"}"), T0.plusSeconds(61))).isEmpty();
        assertThat(silent.step("route").assignment().agent()).isEqualTo("general-assistant");
    }

    @Test
    void withoutAFallbackOrARegistryTheStepSaysWhy() throws Exception {
        PipelineRun noFallback = run("routing: {registryRef: {name: reg}, model: m}", fleet(Map.of()));
        TaskRequest router = noFallback.start(T0).get(0);
        noFallback.onResult(answer(router, "no idea"), T0);
        assertThat(noFallback.phase()).isEqualTo(RunPhase.Failed);
        assertThat(noFallback.step("route").message()).isEqualTo("routing: the router chose no capability (\"no idea\"), "
                + "and spec.routing.fallback is not set");

        StaticDirectory missing = new StaticDirectory("ops", List.of(agent("general-assistant")), null,
                "ArkRegistry \"ops-registry\" not found in namespace ns", ref -> 0);
        PipelineRun noRegistry = run(OPS, missing);
        assertThat(noRegistry.start(T0)).singleElement().satisfies(t -> {
            assertThat(t.taskId()).isEqualTo("run1/route/1");
            assertThat(t.agent().agent()).isEqualTo("general-assistant");
        });
        assertThat(noRegistry.step("route").assignment().reason())
                .isEqualTo("ArkRegistry \"ops-registry\" not found in namespace ns; fallback general-assistant");

        PipelineRun fallbackGone = run(OPS, Directories.of("ops", Map.of(), null, agent("x", capability("c"))));
        TaskRequest ask = fallbackGone.start(T0).get(0);
        fallbackGone.onResult(answer(ask, "none"), T0);
        assertThat(fallbackGone.step("route").message()).isEqualTo("routing: the router chose no capability (\"none\"), "
                + "and the fallback ArkAgent \"general-assistant\" was not found");
    }

    @Test
    void aRunRestoredWhileItsRouterWorksSendsTheSameRouterCallAgain() throws Exception {
        PipelineRun run = run(OPS, fleet(Map.of()));
        TaskRequest router = run.start(T0).get(0);
        Pipeline pipeline = Teams.pipeline(OPS);
        ObjectNode input = new InputResolver().resolve(pipeline.spec(),
                new ObjectMapper().readTree("{\"task\": \"The user search query takes 8 seconds\", \"code\": \"SELECT 1\"}"));
        PipelineRun restored = PipelineRun.restore(pipeline, "run1", input, RunLimits.NONE,
                new OutputChecker(new JsonSchemas()), DelegationTest.record(run), fleet(Map.of()));
        assertThat(restored.currentTask("route")).contains(router);
        assertThat(restored.queueOf(restored.step("route"))).isEqualTo(AgentRef.teamRole("ops", "router"));
        TaskRequest work = restored.onResult(answer(router, "{\"capability\": \"frontend-debug\", \"reason\": \"ui\"}"),
                T0).get(0);
        PipelineRun again = PipelineRun.restore(pipeline, "run1", input, RunLimits.NONE,
                new OutputChecker(new JsonSchemas()), DelegationTest.record(restored), fleet(Map.of()));
        assertThat(again.currentTask("route")).contains(work);
        assertThat(again.queueOf(again.step("route"))).isEqualTo(AgentRef.standalone("frontend-engineer"));
        again.onResult(answer(work, "fixed"), T0);
        assertThat(again.output()).isEqualTo("fixed");
    }
}
