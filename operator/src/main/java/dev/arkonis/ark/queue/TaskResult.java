package dev.arkonis.ark.queue;

import dev.arkonis.ark.api.TokenUsage;
import java.math.BigDecimal;
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
        Duration queueWait,
        ModelReport report) {

    public static final Set<String> RESULT_FIELDS = Set.of(
            "task", "status", "output", "error", "inputTokens", "outputTokens", "agent", "durationMs", "queueWaitMs",
            "cachedInputTokens", "cacheWriteTokens", "costUSD", "model", "modelReason", "rateLimitWaitMs");

    public TaskResult {
        output = output == null ? "" : output;
        error = error == null ? "" : error;
        copied = Map.copyOf(copied == null ? Map.of() : copied);
        report = report == null ? ModelReport.NONE : report;
    }

    public static TaskResult succeeded(String task, String output, long inputTokens, long outputTokens,
                                       String agent, long durationMs, Map<String, String> copied) {
        return new TaskResult(task, TaskStatus.SUCCEEDED, output, "", inputTokens, outputTokens, agent,
                durationMs, copied, null, ModelReport.NONE);
    }

    public static TaskResult failed(String task, String error, long inputTokens, long outputTokens,
                                    String agent, long durationMs, Map<String, String> copied) {
        return new TaskResult(task, TaskStatus.FAILED, "", error, inputTokens, outputTokens, agent,
                durationMs, copied, null, ModelReport.NONE);
    }

    /** The same result, saying how long its task waited in the stream. */
    public TaskResult withQueueWait(Duration waited) {
        return new TaskResult(task, status, output, error, inputTokens, outputTokens, agent, durationMs, copied, waited,
                report);
    }

    /** The same result, with these tokens (cache parts and cost included) and what else its calls came to. */
    public TaskResult withUsage(TokenUsage usage, String model, String modelReason, Duration rateLimitWait) {
        return new TaskResult(task, status, output, error, usage.inputTokens(), usage.outputTokens(), agent, durationMs,
                copied, queueWait, new ModelReport(usage.cachedInputTokens(), usage.cacheWriteTokens(), usage.costUSD(),
                        model, modelReason, rateLimitWait));
    }

    /** Its tokens, cache parts and cost together. */
    public TokenUsage usage() {
        return new TokenUsage(inputTokens, outputTokens, inputTokens + outputTokens, report.cachedInputTokens(),
                report.cacheWriteTokens(), report.costUSD());
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
        if (report.cachedInputTokens() > 0) {
            fields.put("cachedInputTokens", Long.toString(report.cachedInputTokens()));
        }
        if (report.cacheWriteTokens() > 0) {
            fields.put("cacheWriteTokens", Long.toString(report.cacheWriteTokens()));
        }
        if (report.costUSD() != null) {
            fields.put("costUSD", report.costUSD().toPlainString());
        }
        putIfSet(fields, "model", report.model());
        putIfSet(fields, "modelReason", report.modelReason());
        if (report.rateLimitWait() != null) {
            fields.put("rateLimitWaitMs", Long.toString(report.rateLimitWait().toMillis()));
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
                fields.containsKey("queueWaitMs") ? Duration.ofMillis(parseLong(fields.get("queueWaitMs"))) : null,
                new ModelReport(parseLong(fields.get("cachedInputTokens")), parseLong(fields.get("cacheWriteTokens")),
                        parseCost(fields.get("costUSD")), blankToNull(fields.get("model")),
                        blankToNull(fields.get("modelReason")),
                        fields.containsKey("rateLimitWaitMs") ? Duration.ofMillis(parseLong(fields.get("rateLimitWaitMs")))
                                : null));
    }

    private static void putIfSet(Map<String, String> fields, String name, String value) {
        if (value != null && !value.isEmpty()) {
            fields.put(name, value);
        }
    }

    /** A cost that is not a plain non-negative decimal is no cost we know of: agents are not trusted with more. */
    private static BigDecimal parseCost(String value) {
        if (value == null || value.isEmpty() || value.length() > 40) {
            return null;
        }
        try {
            BigDecimal cost = new BigDecimal(value);
            return cost.signum() < 0 ? null : cost;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static long parseLong(String value) {
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }
}
