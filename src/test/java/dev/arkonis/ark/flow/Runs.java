package dev.arkonis.ark.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Instant;
import java.util.List;

/** Runs of a team written in YAML, driven the way transports drive them, and restored as a restarted operator does. */
final class Runs {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final TokenUsage TEN = TokenUsage.of(6, 4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Runs() {
    }

    static PipelineRun run(String specYaml, String inputJson, RunLimits limits) throws Exception {
        Pipeline pipeline = Teams.pipeline(specYaml);
        return new PipelineRun(pipeline, "run1", input(pipeline, inputJson), limits, new OutputChecker(new JsonSchemas()));
    }

    static PipelineRun run(String specYaml) throws Exception {
        return run(specYaml, "{}", RunLimits.NONE);
    }

    /** The run as a restarted transport rebuilds it from what it recorded. */
    static PipelineRun restored(PipelineRun run, String specYaml, String inputJson, RunLimits limits) throws Exception {
        Pipeline pipeline = Teams.pipeline(specYaml);
        return PipelineRun.restore(pipeline, run.runId(), input(pipeline, inputJson), limits,
                new OutputChecker(new JsonSchemas()), run.record());
    }

    static PipelineRun restored(PipelineRun run, String specYaml) throws Exception {
        return restored(run, specYaml, "{}", RunLimits.NONE);
    }

    static List<TaskRequest> succeed(PipelineRun run, TaskRequest task, String output, Instant at) {
        return run.onResult(TaskOutcome.success(task.step(), task.attempt(), output, TEN).forTask(task.taskId()), at);
    }

    static List<String> names(List<TaskRequest> tasks) {
        return tasks.stream().map(TaskRequest::step).toList();
    }

    private static ObjectNode input(Pipeline pipeline, String inputJson) throws Exception {
        return new InputResolver().resolve(pipeline.spec().inputList(), (ObjectNode) JSON.readTree(inputJson));
    }
}
