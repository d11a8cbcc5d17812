package dev.arkonis.ark.queue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A task's result as added to its {@code replyTo} stream.
 *
 * @param copied    the task's extra fields (run, step, attempt, ...), untouched
 * @param queueWait how long the task waited in its stream before an agent took it; null when not reported (older
 *                  agents, dead letters)
 */
public record TaskResult(
        String task,
        TaskStatus status,
        String output,
        String error,
        long inputTokens,
        long outputTokens,
        String agent,
        long durationMs,
        Map<String, String> copied,
        Duration queueWait) {

    public static final Set<String> RESULT_FIELDS = Set.of(
            "task", "status", "output", "error", "inputTokens", "outputTokens", "agent", "durationMs", "queueWaitMs");

    public TaskResult {
        output = output == null ? "" : output;
        error = error == null ? "" : error;
        copied = Map.copyOf(copied == null ? Map.of() : copied);
    }

    public static TaskResult succeeded(String task, String output, long inputTokens, long outputTokens,
                                       String agent, long durationMs, Map<String, String> copied) {
        return new TaskResult(task, TaskStatus.SUCCEEDED, output, "", inputTokens, outputTokens, agent,
                durationMs, copied, null);
    }

    public static TaskResult failed(String task, String error, long inputTokens, long outputTokens,
                                    String agent, long durationMs, Map<String, String> copied) {
        return new TaskResult(task, TaskStatus.FAILED, "", error, inputTokens, outputTokens, agent,
                durationMs, copied, null);
    }

    /** The same result, saying how long its task waited in the stream. */
    public TaskResult withQueueWait(Duration waited) {
        return new TaskResult(task, status, output, error, inputTokens, outputTokens, agent, durationMs, copied, waited);
    }

    /** Stream fields; a copied field never overrides a result field. */
    public Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        copied.forEach((key, value) -> {
            if (!RESULT_FIELDS.contains(key)) {
                fields.put(key, value);
            }
        });
        fields.put("task", task);
        fields.put("status", status.wire());
        fields.put("output", output);
        fields.put("error", error);
        fields.put("inputTokens", Long.toString(inputTokens));
        fields.put("outputTokens", Long.toString(outputTokens));
        fields.put("agent", agent);
        fields.put("durationMs", Long.toString(durationMs));
        if (queueWait != null) {
            fields.put("queueWaitMs", Long.toString(queueWait.toMillis()));
        }
        return fields;
    }

    public static TaskResult fromFields(Map<String, String> fields) {
        Map<String, String> copied = new LinkedHashMap<>(fields);
        RESULT_FIELDS.forEach(copied::remove);
        return new TaskResult(
                fields.getOrDefault("task", ""),
                TaskStatus.fromWire(fields.get("status")),
                fields.get("output"),
                fields.get("error"),
                parseLong(fields.get("inputTokens")),
                parseLong(fields.get("outputTokens")),
                fields.getOrDefault("agent", ""),
                parseLong(fields.get("durationMs")),
                copied,
                fields.containsKey("queueWaitMs") ? Duration.ofMillis(parseLong(fields.get("queueWaitMs"))) : null);
    }

    private static long parseLong(String value) {
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }
}
