package dev.arkonis.ark.dashboard.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.PipelineStep;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.cli.RunViews;
import dev.arkonis.ark.dashboard.actions.RunAction;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Builds a run's page from the ArkRun (its status, and the team snapshot it started with for the graph), its Events,
 * and what the URL asks for: a page of steps, a phase filter, columns of the graph.
 */
public final class RunPageBuilder {
    public static final int STEPS_PER_PAGE = 50;
    public static final int EVENTS_SHOWN = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the URL asks for. */
    public record Query(int page, String phase, String columns) {
        public static Query of(String page, String phase, String columns) {
            return new Query(Paging.parse(page), phase == null || phase.isBlank() ? null : phase,
                    columns == null || columns.isBlank() ? null : columns);
        }
    }

    private final List<RunAction> actions;
    private final boolean readOnly;

    public RunPageBuilder(List<RunAction> actions, boolean readOnly) {
        this.actions = actions;
        this.readOnly = readOnly;
    }

    /**
     * @param team      the team's spec now, for a run whose status has no snapshot yet (not started); may be null
     * @param outputs   the whole text of a cut output (step null: the run's), or empty
     */
    public RunPage build(Frame frame, ArkRun run, ArkTeamSpec team, List<Event> events, Query query,
            BiFunction<ArkRun, StepStatus, Optional<String>> outputs, Instant now) {
        String ns = run.getMetadata().getNamespace();
        String name = run.getMetadata().getName();
        String self = Links.run(ns, name);
        List<StepStatus> all = steps(run, team);
        List<StepStatus> listed = query.phase() == null ? all
                : all.stream().filter(s -> query.phase().equals(String.valueOf(s.phase()))).toList();
        Paging paging = Paging.of(query.page(), STEPS_PER_PAGE, listed.size(),
                p -> Links.with(self, Links.params("phase", query.phase(), "columns", query.columns(), "page", String.valueOf(p))));
        List<StepStatus> page = paging.slice(listed);
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < listed.size(); i++) {
            position.put(listed.get(i).name(), i);
        }
        Map<String, Integer> positionAll = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            positionAll.put(all.get(i).name(), i);
        }
        Graph graph = GraphLayout.layout(graphSteps(run, team, all, stepName -> {
            Integer at = position.get(stepName);
            String phase = at == null ? null : query.phase();
            int p = (at == null ? positionAll.get(stepName) : at) / STEPS_PER_PAGE + 1;
            return Links.with(self, Links.params("phase", phase, "columns", query.columns(), "page", String.valueOf(p)))
                    + "#step-" + stepName;
        }), query.columns(), cols -> Links.with(self, Links.params("phase", query.phase(), "columns", cols)) + "#graph",
                Links.with(self, Links.params("phase", query.phase(), "columns", query.columns())) + "#steps");
        List<RunPage.Event> shown = events.stream()
                .sorted(Comparator.comparing(RunPageBuilder::eventTime, Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                .limit(EVENTS_SHOWN).map(RunPageBuilder::event).toList();
        return new RunPage(frame, summary(run, outputs), graph, timeline(run, page, now),
                page.stream().map(s -> step(run, s, outputs)).toList(), paging, query.phase(), shown, events.size(),
                Links.with(self + "/live", Links.params("phase", query.phase(), "columns", query.columns(),
                        "page", String.valueOf(paging.page()))), self);
    }

    /** Every step of the run in pipeline order: the status' steps, or Pending ones from the team before it starts. */
    static List<StepStatus> steps(ArkRun run, ArkTeamSpec team) {
        RunStatus status = run.getStatus();
        if (status != null && status.steps() != null && !status.steps().isEmpty()) {
            return status.steps();
        }
        ArkTeamSpec spec = snapshot(run).orElse(team);
        if (spec == null) {
            return List.of();
        }
        return spec.steps().stream().map(p -> new StepStatus(p.effectiveName(), p.role(), dev.arkonis.ark.api.StepPhase.Pending,
                null, 0, 0, null, null, null, null, null, null, null)).toList();
    }

    static Optional<ArkTeamSpec> snapshot(ArkRun run) {
        if (run.getStatus() == null || run.getStatus().teamSpec() == null || run.getStatus().teamSpec().isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.treeToValue(run.getStatus().teamSpec(), ArkTeamSpec.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<GraphStep> graphSteps(ArkRun run, ArkTeamSpec team, List<StepStatus> all,
            java.util.function.Function<String, String> href) {
        Map<String, PipelineStep> pipeline = new LinkedHashMap<>();
        snapshot(run).or(() -> Optional.ofNullable(team)).ifPresent(
                spec -> spec.steps().forEach(p -> pipeline.put(p.effectiveName(), p)));
        List<GraphStep> out = new ArrayList<>();
        for (StepStatus s : all) {
            PipelineStep p = pipeline.get(s.name());
            out.add(new GraphStep(s.name(), roleOf(s), p == null ? List.of() : p.dependencies(),
                    String.valueOf(s.phase()), note(s), p != null && p.loop() != null,
                    s.iterations() == null ? 0 : s.iterations(), href.apply(s.name()), s.parent(), s.resolvedAgent(),
                    s.selectedCapability()));
        }
        return out;
    }

    /** What a node says under its name: why it was skipped, what it waits for, or how long and how many tokens. */
    private static String note(StepStatus s) {
        if (s.skipReason() != null) {
            return s.skipReason().name();
        }
        if (s.waitingFor() != null) {
            return s.waitingFor();
        }
        Instant start = RunViews.instant(s.startTime());
        Instant end = RunViews.instant(s.completionTime());
        String took = start != null && end != null ? Format.duration(Duration.between(start, end)) : "";
        long tokens = s.tokenUsage() == null ? 0 : s.tokenUsage().totalTokens();
        if (took.isEmpty() && tokens == 0) {
            return s.attempts() != null && s.attempts() > 1 ? "attempt " + s.attempts() : "";
        }
        return (took.isEmpty() ? "" : took + " · ") + Format.number(tokens) + " tokens";
    }

    private RunPage.Summary summary(ArkRun run, BiFunction<ArkRun, StepStatus, Optional<String>> outputs) {
        RunStatus status = run.getStatus();
        String ns = run.getMetadata().getNamespace();
        Map<String, String> labels = run.getMetadata().getLabels() == null ? Map.of() : run.getMetadata().getLabels();
        String trigger = labels.get(Ark.LABEL_TRIGGER);
        Instant started = status == null ? null : RunViews.instant(status.startTime());
        Instant completed = status == null ? null : RunViews.instant(status.completionTime());
        Shown output = shown(status == null ? null : status.output(), status != null && Boolean.TRUE.equals(status.outputTruncated()),
                () -> outputs.apply(run, null));
        return new RunPage.Summary(ns, run.getMetadata().getName(), RunViews.team(run), Links.team(ns, RunViews.team(run)),
                RunViews.phase(run).name(), trigger, trigger == null ? null : "/triggers?namespace=" + Links.enc(ns),
                RunViews.instant(run.getMetadata().getCreationTimestamp()), started, completed,
                started != null && completed != null ? Duration.between(started, completed) : null,
                status == null || status.totalTokenUsage() == null ? TokenUsage.ZERO : status.totalTokenUsage(),
                status == null || status.stepsDone() == null ? "" : status.stepsDone(),
                status == null ? null : status.reason(), status == null ? null : status.failedStep(),
                status == null ? null : status.message(), output.output(), output.note(), buttons(RunAction.Scope.RUN, run, null),
                RunViews.phase(run).isFinished(), run.getMetadata().getResourceVersion());
    }

    private RunPage.Step step(ArkRun run, StepStatus s, BiFunction<ArkRun, StepStatus, Optional<String>> outputs) {
        Instant start = RunViews.instant(s.startTime());
        Instant end = RunViews.instant(s.completionTime());
        Shown output = shown(s.output(), Boolean.TRUE.equals(s.outputTruncated()), () -> outputs.apply(run, s));
        return new RunPage.Step(s.name(), roleOf(s), String.valueOf(s.phase()),
                s.attempts() == null ? 0 : s.attempts(), s.validationAttempts() == null ? 0 : s.validationAttempts(),
                start, end, start != null && end != null ? Duration.between(start, end) : null,
                s.queueWaitMs() == null ? null : Duration.ofMillis(s.queueWaitMs()),
                s.tokenUsage() == null ? TokenUsage.ZERO : s.tokenUsage(), s.message(),
                s.skipReason() == null ? null : s.skipReason().name(),
                s.validationErrors() == null ? List.of() : s.validationErrors(), s.waitingFor(),
                s.iterations() != null, s.iterations() == null ? 0 : s.iterations(), s.taskID(), output.output(),
                output.note(), buttons(RunAction.Scope.STEP, run, s), s.approval() == null ? null : s.approval().message(),
                s.model(), s.modelReason(), s.rateLimitWaitMs() == null ? null : Duration.ofMillis(s.rateLimitWaitMs()),
                s.parent(), s.delegation() == null ? null : s.delegation().task(), s.resolvedAgent(),
                s.selectedCapability(), s.routingReason());
    }

    /** Who does a step: its role, or a person for an approval step. */
    private static String roleOf(StepStatus s) {
        return s.role() != null ? s.role() : s.approval() != null ? "approval" : "none";
    }

    /** An output as shown, and what to say about it: read whole from Redis when the status holds only its start. */
    private record Shown(Format.Output output, String note) {
    }

    private static Shown shown(String text, boolean cut, java.util.function.Supplier<Optional<String>> whole) {
        if (!cut) {
            return new Shown(Format.output(text), "");
        }
        Optional<String> read = whole.get();
        return new Shown(Format.output(read.orElse(text)), read.isPresent() ? "the whole output, from where the operator kept it"
                : "cut to fit the run's status; the dashboard reads the whole text when it is given TASK_QUEUE_URL");
    }

    /** The actions of this scope offered for the run (and step); none on a read-only dashboard. */
    private List<RunPage.Button> buttons(RunAction.Scope scope, ArkRun run, StepStatus step) {
        return readOnly ? List.of() : actions.stream().filter(a -> a.scope() == scope && a.offered(run, step))
                .map(a -> new RunPage.Button(a.name(), a.label(), step == null ? null : step.name(), a.takesComment())).toList();
    }

    /** The rows of {@code ark status --timeline} for the steps on this page, over the whole run's length. */
    private static RunPage.Timeline timeline(ArkRun run, List<StepStatus> page, Instant now) {
        dev.arkonis.ark.cli.Timeline whole = RunViews.timeline(run, now);
        Duration length = whole.length();
        double scale = 1000.0 / Math.max(1, length.toMillis());
        java.util.Set<String> shown = new java.util.HashSet<>();
        page.forEach(s -> shown.add(s.name()));
        List<RunPage.Row> rows = new ArrayList<>();
        for (dev.arkonis.ark.cli.Timeline.Row row : whole.rows()) {
            if (!shown.contains(row.step())) {
                continue;
            }
            int waitX = 0;
            int waitW = 0;
            int workX = 0;
            int workW = 0;
            if (row.offset() != null && row.took() != null) {
                long wait = row.queueWait() == null ? 0 : Math.min(row.queueWait().toMillis(), row.took().toMillis());
                waitX = (int) Math.round(row.offset().toMillis() * scale);
                waitW = (int) Math.round(wait * scale);
                workX = waitX + waitW;
                workW = Math.max(1, (int) Math.round((row.took().toMillis() - wait) * scale));
            }
            rows.add(new RunPage.Row(row.step(), row.phase(), row.offset() == null ? "" : Format.duration(row.offset()),
                    row.took() == null ? "" : Format.duration(row.took()), row.tokens(), Format.usd(row.costUSD()),
                    row.retries(),
                    row.queueWait() == null ? "" : Format.duration(row.queueWait()), waitX, waitW, workX, workW));
        }
        return new RunPage.Timeline(Format.duration(length), rows);
    }

    private static Instant eventTime(Event e) {
        String t = e.getSeries() != null && e.getSeries().getLastObservedTime() != null
                ? e.getSeries().getLastObservedTime().getTime()
                : e.getLastTimestamp() != null ? e.getLastTimestamp()
                : e.getEventTime() != null ? e.getEventTime().getTime() : e.getMetadata().getCreationTimestamp();
        try {
            return t == null ? null : Instant.parse(t);
        } catch (java.time.format.DateTimeParseException bad) {
            return null;
        }
    }

    private static RunPage.Event event(Event e) {
        return new RunPage.Event(e.getType(), e.getReason(), e.getMessage(), e.getCount() == null ? 1 : e.getCount(),
                eventTime(e));
    }
}
