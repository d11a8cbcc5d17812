package dev.arkonis.ark.dashboard.view;

import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Everything the page of one run shows; each part is also a fragment the live stream replaces by its id. */
public record RunPage(Frame frame, Summary run, Graph graph, Timeline timeline, List<Step> steps, Paging paging,
        String phaseFilter, List<Event> events, int eventCount, String live, String self) {

    /** The run as a whole, exactly as its status says. */
    public record Summary(String namespace, String name, String team, String teamHref, String phase, String trigger,
            String triggerHref, Instant created, Instant started, Instant completed, Duration duration, TokenUsage tokens,
            String stepsDone, String reason, String failedStep, String message, Format.Output output, String outputNote,
            List<Button> actions, boolean finished, String resourceVersion) {
    }

    /** One step: what it did, how long and at what cost, why it failed or was rejected, and its output. */
    public record Step(String name, String role, String phase, int attempts, int validationAttempts, Instant started,
            Instant completed, Duration duration, Duration queueWait, TokenUsage tokens, String message,
            String skipReason, List<String> validationErrors, String waitingFor, boolean loop, int iterations,
            String taskId, Format.Output output, String outputNote, List<Button> actions, String asks,
            String parent, String delegatedTask, String agent, String capability, String routingReason) {
    }

    /** Where the run's time went (as {@code ark status --timeline}): bars over the run's length, 0..1000. */
    public record Timeline(String length, List<Row> rows) {
    }

    public record Row(String step, String phase, String offset, String took, long tokens, int retries, String queueWait,
            int waitX, int waitWidth, int workX, int workWidth) {
    }

    /** A Kubernetes Event about the run. */
    public record Event(String type, String reason, String message, int count, Instant last) {
    }

    /** A form that posts one action: where to, its label, the step it is about, whether it takes a comment. */
    public record Button(String action, String label, String step, boolean comment) {
    }
}
