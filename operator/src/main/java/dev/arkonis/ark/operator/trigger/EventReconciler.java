package dev.arkonis.ark.operator.trigger;

import dev.arkonis.ark.api.Timestamps;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkEventStatus;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.PipelineOutputSource;
import dev.arkonis.ark.api.TriggerSource;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.flow.Validation;
import dev.arkonis.ark.flow.trigger.CronSchedule;
import dev.arkonis.ark.flow.trigger.TriggerValidator;
import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.operator.KubeEvents;
import dev.arkonis.ark.operator.ReconcileErrors;
import dev.arkonis.ark.operator.RunWakes;
import dev.arkonis.ark.operator.SharedRuns;
import dev.arkonis.ark.operator.StatusConditions;
import dev.arkonis.ark.operator.StatusRecorder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * ArkEvent: keeps a cron event's next fire and fires each schedule slot once; gives a webhook event its token Secret
 * and URL (the {@link WebhookServer} fires it); fires a pipeline-output event once per finished run of the watched
 * team. Every decision reads the event's latest status from the API server, where fires are recorded.
 */
@ControllerConfiguration(name = EventReconciler.NAME)
public final class EventReconciler implements Reconciler<ArkEvent> {
    public static final String NAME = "arkevent";
    static final String READY = Ark.CONDITION_READY;

    private final KubernetesClient client;
    private final TriggerSettings settings;
    private final String operatorNamespace;
    private final IntSupplier webhookPort;
    private final Clock clock;
    private final EventFiring firing;
    private final StatusRecorder<ArkEvent, ArkEventStatus> statuses;
    private final TokenSecrets tokens;
    private final KubeEvents events;
    private final TriggerValidator validator = new TriggerValidator();
    // lets a caller (tests with a controllable clock, or a clock jump) make every cron event look at the time now
    private final SimpleInboundEventSource<ArkEvent> wakeups = new SimpleInboundEventSource<>("schedule");
    private volatile IndexedResourceCache<ArkEvent> cache;
    private volatile InformerEventSource<Secret, ArkEvent> secrets;
    private final SharedRuns runs;

    /** @param runs the operator's one watch of runs: a run of a watched team wakes its events, which read it */
    EventReconciler(KubernetesClient client, TriggerSettings settings, String operatorNamespace, IntSupplier webhookPort,
                    EventFiring firing, StatusRecorder<ArkEvent, ArkEventStatus> statuses, KubeEvents events,
                    SharedRuns runs, Clock clock) {
        this.statuses = statuses;
        this.runs = runs;
        this.client = client;
        this.settings = settings;
        this.operatorNamespace = operatorNamespace;
        this.webhookPort = webhookPort;
        this.firing = firing;
        this.events = events;
        this.clock = clock;
        this.tokens = new TokenSecrets(client);
    }

    @Override
    public List<EventSource<?, ArkEvent>> prepareEventSources(EventSourceContext<ArkEvent> context) {
        cache = context.getPrimaryCache();
        secrets = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, ArkEvent.class)
                .withNamespacesInheritedFromController()
                .withLabelSelector(Ark.LABEL_EVENT_TOKEN)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ArkEvent.class))
                .build(), context);
        // a finished run wakes the pipeline-output events that watch its team, whatever changed in it
        RunWakes<ArkEvent> finishedRuns = new RunWakes<>(runs, run -> watchersOf(run, context.getPrimaryCache()),
                (now, before) -> true);
        return List.of(secrets, finishedRuns, wakeups);
    }

    private static Set<ResourceID> watchersOf(ArkRun run, IndexedResourceCache<ArkEvent> events) {
        if (run.getStatus() == null || run.getStatus().phase() == null || !run.getStatus().phase().isFinished()) {
            return Set.of();
        }
        String team = teamOf(run);
        return events.list(run.getMetadata().getNamespace(), e -> team != null && team.equals(upstreamTeam(e)))
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    /** Every cron event looks at the clock now (JOSDK's timers wake them at their next slot otherwise). */
    public void wake() {
        IndexedResourceCache<ArkEvent> events = cache;
        if (events != null) {
            events.list(e -> e.getSpec() != null && e.getSpec().source() != null
                            && e.getSpec().source().type() == TriggerSource.Type.CRON)
                    .forEach(e -> wakeups.propagateEvent(ResourceID.fromResource(e)));
        }
    }

    @Override
    public UpdateControl<ArkEvent> reconcile(ArkEvent cached, Context<ArkEvent> context) {
        return firing.locked(cached, () -> {
            ArkEvent event = client.resource(cached).get();
            if (event == null || event.getSpec() == null) {
                return UpdateControl.noUpdate();
            }
            Validation validation = validator.validate(event.getSpec(), Map.of());
            if (!validation.isValid()) {
                invalid(event, validation.errors());
                return UpdateControl.noUpdate();
            }
            Instant now = clock.instant();
            return switch (event.getSpec().source().type()) {
                case CRON -> cron(event, now);
                case WEBHOOK -> webhook(event, now);
                case PIPELINE_OUTPUT, TEAM_OUTPUT -> upstream(event, now);
            };
        });
    }

    private UpdateControl<ArkEvent> cron(ArkEvent event, Instant now) {
        TriggerSource source = event.getSpec().source();
        CronSchedule schedule = TriggerValidator.schedule(source).orElseThrow();
        ArkEventStatus status = statusOf(event);
        if (event.getSpec().isSuspended()) {
            firing.write(event, s -> s.toBuilder().nextFireAt(null).conditions(ready(s.conditions(), event, false,
                    "Suspended", "suspended: schedule slots pass without firing", now)).build());
            return UpdateControl.noUpdate();
        }
        Instant since = Timestamps.parse(status.lastScheduleTime()).orElse(created(event));
        Optional<Instant> due = schedule.latestAtOrBefore(now).filter(slot -> slot.isAfter(since));
        if (due.isPresent()) {
            Instant slot = due.get();
            int skipped = schedule.countBetween(since, slot, 1000) - 1;
            String slotText = slot.toString();
            Long deadline = source.startingDeadlineSeconds();
            long late = Duration.between(slot, now).toSeconds();
            if (deadline != null && late > deadline) {
                firing.refuse(event, EventReason.MissedSchedule, "not fired: schedule slot " + slotText + " was missed by " + late
                        + "s, more than startingDeadlineSeconds (" + deadline + ")",
                        s -> s.toBuilder().lastScheduleTime(slotText).build());
            } else {
                Map<String, Object> trigger = firing.triggerData(event, slot);
                trigger.put("scheduledAt", slotText);
                firing.fire(event, Long.toString(slot.getEpochSecond() / 60), trigger, "schedule slot " + slotText
                        + (skipped > 0 ? " (the latest of " + (skipped + 1) + " missed slots)" : ""),
                        s -> s.toBuilder().lastScheduleTime(slotText).build());
            }
        }
        Optional<Instant> next = schedule.next(now);
        firing.write(event, s -> s.toBuilder().webhookURL(null).nextFireAt(next.map(Instant::toString).orElse(null))
                .conditions(ready(s.conditions(), event, true, "Scheduled", next.map(n -> "next fire at " + n)
                        .orElse("the schedule has no further slots"), now)).build());
        return next.map(n -> UpdateControl.<ArkEvent>noUpdate()
                        .rescheduleAfter(Math.max(1, Duration.between(clock.instant(), n).toMillis()) + 10))
                .orElse(UpdateControl.noUpdate());
    }

    private UpdateControl<ArkEvent> webhook(ArkEvent event, Instant now) {
        String name = event.getMetadata().getName();
        String namespace = event.getMetadata().getNamespace();
        if (!settings.enabled()) {
            firing.write(event, s -> s.toBuilder().webhookURL(null).nextFireAt(null).conditions(ready(s.conditions(),
                    event, false, "WebhooksDisabled", "this operator serves no webhooks: install the chart with"
                    + " triggerWebhook.enabled=true (TRIGGER_WEBHOOK_ENABLED)", now)).build());
            return UpdateControl.noUpdate();
        }
        tokens.ensure(event, secret(namespace, name));
        String url = settings.webhookUrl(operatorNamespace, namespace, name, webhookPort.getAsInt());
        boolean suspended = event.getSpec().isSuspended();
        firing.write(event, s -> s.toBuilder().webhookURL(url).nextFireAt(null).conditions(suspended
                ? ready(s.conditions(), event, false, "Suspended", "suspended: webhook requests are refused", now)
                : ready(s.conditions(), event, true, "WebhookReady", "POST " + url + " with the bearer token in Secret "
                + TokenSecrets.nameOf(name) + " (key " + TokenSecrets.KEY + ")", now)).build());
        return UpdateControl.noUpdate();
    }

    private UpdateControl<ArkEvent> upstream(ArkEvent event, Instant now) {
        PipelineOutputSource source = event.getSpec().source().upstream();
        String namespace = event.getMetadata().getNamespace();
        Optional<Instant> watermark = Timestamps.parse(statusOf(event).lastSourceCompletionTime());
        if (watermark.isEmpty()) {
            // first sight: runs that ended before the event was seen never fire it (creation time has only seconds)
            Instant baseline = runs.list(namespace, run -> source.name().equals(teamOf(run)) && run.getStatus() != null)
                    .map(run -> Timestamps.parse(run.getStatus().completionTime()).orElse(Instant.EPOCH))
                    .reduce(created(event), (a, b) -> a.isAfter(b) ? a : b);
            firing.write(event, s -> s.toBuilder().lastSourceCompletionTime(baseline.toString()).build());
            watermark = Optional.of(baseline);
        }
        Instant since = watermark.get();
        List<ArkRun> finished = runs.list(namespace, run -> source.name().equals(teamOf(run))
                        && run.getStatus() != null && source.effectiveOnPhase().matches(run.getStatus().phase())
                        && Timestamps.parse(run.getStatus().completionTime()).filter(t -> t.isAfter(since)).isPresent())
                .sorted(Comparator.comparing((ArkRun r) -> Timestamps.parse(r.getStatus().completionTime()).orElseThrow())
                        .thenComparing(r -> r.getMetadata().getName()))
                .toList();
        for (ArkRun run : finished) {
            String completed = run.getStatus().completionTime();
            String runName = run.getMetadata().getName();
            if (event.getSpec().isSuspended()) {
                firing.refuse(event, EventReason.Suspended, "not fired for run " + runName + ": the event is suspended",
                        s -> s.toBuilder().lastSourceCompletionTime(completed).build());
                continue;
            }
            Map<String, Object> trigger = firing.triggerData(event, now);
            trigger.put("output", Objects.requireNonNullElse(run.getStatus().output(), ""));
            trigger.put("run", runName);
            trigger.put("team", source.name());
            trigger.put("phase", run.getStatus().phase().name());
            String key = RunNames.hash(Objects.requireNonNullElse(run.getMetadata().getUid(), namespace + "/" + runName));
            firing.fire(event, key, trigger, "run " + runName + " of team " + source.name() + " ("
                    + run.getStatus().phase() + ")", s -> s.toBuilder().lastSourceCompletionTime(completed).build());
        }
        boolean suspended = event.getSpec().isSuspended();
        firing.write(event, s -> s.toBuilder().webhookURL(null).nextFireAt(null).conditions(suspended
                ? ready(s.conditions(), event, false, "Suspended", "suspended: runs of team " + source.name()
                + " do not fire it", now)
                : ready(s.conditions(), event, true, "Watching", "fires when a run of team " + source.name() + " ends "
                + source.effectiveOnPhase().name().toLowerCase(java.util.Locale.ROOT).replace("any", "in any phase"), now))
                .build());
        return UpdateControl.noUpdate();
    }

    private void invalid(ArkEvent event, List<Problem> problems) {
        String message = problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
        boolean known = statusOf(event).conditions() != null && statusOf(event).conditions().stream()
                .anyMatch(c -> READY.equals(c.getType()) && message.equals(c.getMessage()));
        firing.write(event, s -> s.toBuilder().nextFireAt(null)
                .conditions(ready(s.conditions(), event, false, "InvalidSpec", message, clock.instant())).build());
        if (!known) {
            events.record(event, EventReason.InvalidSpec, message);
        }
    }

    @Override
    public ErrorStatusUpdateControl<ArkEvent> updateErrorStatus(ArkEvent event, Context<ArkEvent> context, Exception e) {
        return statuses.failed(event, context, e);
    }

    /**
     * The webhook event of that name, as the cache holds it; empty before the controller has started. Any replica
     * answers a webhook: one of another shard finds the event by listing (its cache finds by name only its own).
     */
    Optional<ArkEvent> event(String namespace, String name) {
        IndexedResourceCache<ArkEvent> events = cache;
        return events == null ? Optional.empty() : events.get(new ResourceID(name, namespace))
                .or(() -> events.list(namespace, e -> name.equals(e.getMetadata().getName())).findFirst());
    }

    boolean started() {
        return cache != null && secrets != null;
    }

    /** The token Secret of an event: from the informer's cache, or read once when the cache has not caught up yet. */
    Optional<Secret> secret(String namespace, String event) {
        ResourceID id = new ResourceID(TokenSecrets.nameOf(event), namespace);
        Optional<Secret> cached = secrets == null ? Optional.empty() : secrets.get(id);
        return cached.isPresent() ? cached
                : Optional.ofNullable(client.secrets().inNamespace(namespace).withName(id.getName()).get());
    }

    /** The Ready condition as this reconcile found it; a Reconciled condition left by a failure turns True. */
    private List<Condition> ready(List<Condition> existing, ArkEvent event, boolean ok, String reason, String message,
                                  Instant now) {
        Long generation = event.getMetadata().getGeneration();
        return ReconcileErrors.succeeded(StatusConditions.set(existing, READY, ok, reason, message, generation, now),
                generation, now);
    }

    private static ArkEventStatus statusOf(ArkEvent event) {
        return event.getStatus() == null ? ArkEventStatus.EMPTY : event.getStatus();
    }

    private static String upstreamTeam(ArkEvent event) {
        if (event.getSpec() == null || event.getSpec().source() == null || event.getSpec().source().type() == null
                || !event.getSpec().source().type().watchesRuns() || event.getSpec().source().upstream() == null) {
            return null;
        }
        return event.getSpec().source().upstream().name();
    }

    private static String teamOf(ArkRun run) {
        Map<String, String> labels = run.getMetadata().getLabels();
        String label = labels == null ? null : labels.get(Ark.LABEL_TEAM);
        return label != null ? label : run.getSpec() == null ? null : run.getSpec().teamName();
    }

    private static Instant created(ArkEvent event) {
        return Timestamps.parse(event.getMetadata().getCreationTimestamp()).orElse(Instant.EPOCH);
    }
}
