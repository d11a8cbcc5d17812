package dev.arkonis.ark.operator.notify;

import dev.arkonis.ark.api.Timestamps;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.NotifyEventType;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What message templates read: {@code .team}, {@code .run}, {@code .agent}, {@code .step}, {@code .event} and
 * {@code .message} (the default text). The objects are as kubectl shows them, plus the derived fields the original's
 * templates use ({@code .run.status.durationSeconds}, {@code .run.dashboardUrl}, {@code .agent.status.dailyTokensUsed},
 * {@code .agent.status.budgetResetsInMinutes}); fields a run may lack (message, failedStep) are "" rather than missing.
 */
final class NoticeData {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Optional<String> dashboardUrl;

    NoticeData(Optional<String> dashboardUrl) {
        this.dashboardUrl = dashboardUrl;
    }

    Map<String, Object> forRun(NotifyEventType type, String team, ArkRun run, RunStatus status, Instant now) {
        Map<String, Object> data = common(type, run.getMetadata().getNamespace(), team, now);
        Map<String, Object> runData = object(run);
        runData.put("spec", JSON.convertValue(run.getSpec(), MAP));
        Map<String, Object> statusData = status == null ? new LinkedHashMap<>() : JSON.convertValue(status, MAP);
        statusData.remove("teamSpec");
        for (String key : new String[] {"phase", "message", "failedStep", "output", "reason", "startTime", "completionTime", "stepsDone"}) {
            statusData.putIfAbsent(key, "");
        }
        statusData.putIfAbsent("totalTokenUsage", Map.of("inputTokens", 0L, "outputTokens", 0L, "totalTokens", 0L));
        statusData.put("durationSeconds", duration(status));
        runData.put("status", statusData);
        runData.put("dashboardUrl", dashboardUrl.map(base -> base + "/namespaces/" + run.getMetadata().getNamespace()
                + "/runs/" + run.getMetadata().getName()).orElse(""));
        data.put("run", runData);
        return data;
    }

    Map<String, Object> forStep(String team, ArkRun run, String step, String message, Instant now) {
        Map<String, Object> data = forRun(NotifyEventType.StepFailed, team, run, run.getStatus(), now);
        Map<String, Object> stepData = new LinkedHashMap<>();
        stepData.put("name", step);
        stepData.put("phase", "Failed");
        stepData.put("message", Objects.requireNonNullElse(message, ""));
        if (run.getStatus() != null && run.getStatus().steps() != null) {
            run.getStatus().steps().stream().filter(s -> step.equals(s.name())).findFirst()
                    .ifPresent(s -> stepData.put("role", s.role()));
        }
        stepData.putIfAbsent("role", "");
        data.put("step", stepData);
        return data;
    }

    /**
     * A step waiting for approval: {@code .step} (name, phase, message), {@code .approval} (its question as
     * {@code message}, {@code deadline} or "", and {@code url}: "" until the link for the ArkNotify that sends it is
     * made, see {@link #withApprovalUrl}).
     */
    Map<String, Object> forApproval(String team, ArkRun run, String step, Instant now) {
        Map<String, Object> data = forRun(NotifyEventType.ApprovalRequested, team, run, run.getStatus(), now);
        StepStatus waiting = run.getStatus() == null || run.getStatus().steps() == null ? null : run.getStatus().steps()
                .stream().filter(s -> step.equals(s.name())).findFirst().orElse(null);
        Map<String, Object> stepData = new LinkedHashMap<>();
        stepData.put("name", step);
        stepData.put("phase", waiting == null ? "" : String.valueOf(waiting.phase()));
        stepData.put("message", waiting == null || waiting.message() == null ? "" : waiting.message());
        stepData.put("role", "");
        data.put("step", stepData);
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("message", waiting == null || waiting.approval() == null || waiting.approval().message() == null
                ? "" : waiting.approval().message());
        approval.put("deadline", waiting == null || waiting.deadline() == null ? "" : waiting.deadline());
        approval.put("url", "");
        data.put("approval", approval);
        return data;
    }

    /** The same data with the approval link that one ArkNotify sends. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withApprovalUrl(Map<String, Object> data, String url) {
        Map<String, Object> copy = new HashMap<>(data);
        Map<String, Object> approval = new LinkedHashMap<>((Map<String, Object>) data.get("approval"));
        approval.put("url", url);
        copy.put("approval", approval);
        return copy;
    }

    Map<String, Object> forAgent(NotifyEventType type, String team, ArkAgent agent, AgentStatus status, Instant now) {
        Map<String, Object> data = common(type, agent.getMetadata().getNamespace(), team, now);
        Map<String, Object> agentData = object(agent);
        agentData.put("spec", JSON.convertValue(agent.getSpec(), MAP));
        Map<String, Object> statusData = status == null ? new LinkedHashMap<>() : JSON.convertValue(status, MAP);
        long used = status == null || status.dailyTokenUsage() == null ? 0 : status.dailyTokenUsage().totalTokens();
        statusData.put("dailyTokensUsed", used);
        statusData.putIfAbsent("budgetResetsAt", "");
        statusData.put("budgetResetsInMinutes", minutesUntil(status == null ? null : status.budgetResetsAt(), now));
        agentData.put("status", statusData);
        data.put("agent", agentData);
        return data;
    }

    private static Map<String, Object> common(NotifyEventType type, String namespace, String team, Instant now) {
        Map<String, Object> data = new HashMap<>();
        data.put("team", Map.of("name", team, "namespace", namespace));
        data.put("event", Map.of("type", type.name(), "time", now.toString()));
        return data;
    }

    private static Map<String, Object> object(HasMetadata object) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", object.getMetadata().getName());
        data.put("namespace", object.getMetadata().getNamespace());
        data.put("labels", object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels());
        return data;
    }

    private static long duration(RunStatus status) {
        if (status == null) {
            return 0;
        }
        Optional<Instant> start = Timestamps.parse(status.startTime());
        Optional<Instant> end = Timestamps.parse(status.completionTime());
        return start.isPresent() && end.isPresent() ? Math.max(0, Duration.between(start.get(), end.get()).toSeconds()) : 0;
    }

    private static long minutesUntil(String time, Instant now) {
        return Timestamps.parse(time).map(t -> Math.max(0, (Duration.between(now, t).toSeconds() + 59) / 60)).orElse(0L);
    }
}
