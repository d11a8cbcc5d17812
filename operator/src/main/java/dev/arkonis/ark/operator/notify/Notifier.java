package dev.arkonis.ark.operator.notify;

import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkNotify;
import dev.arkonis.ark.api.ArkNotifyStatus;
import dev.arkonis.ark.api.ArkNotifySpec;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.NotifyDelivery;
import dev.arkonis.ark.api.NotifyEvent;
import dev.arkonis.ark.api.NotifyEventType;
import dev.arkonis.ark.api.RateLimiting;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.SecretRef;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.api.Timestamps;
import dev.arkonis.ark.gotemplate.Template;
import dev.arkonis.ark.gotemplate.TemplateException;
import dev.arkonis.ark.operator.ArkLifecycle;
import dev.arkonis.ark.operator.approval.ApprovalLinkSettings;
import dev.arkonis.ark.operator.approval.ApprovalLinks;
import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.operator.KubeEvents;
import dev.arkonis.ark.operator.StatusRecorder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a team's ArkNotify (its {@code notifyRef}) what happened: on its own threads, so a reconcile never waits.
 * Each message is rate limited, rendered (a template that fails is reported in the ArkNotify's status and not sent),
 * then delivered with retries and backoff; the outcome lands in the ArkNotify's status. The channel URL is read from
 * its Secret at each delivery and never logged.
 */
public final class Notifier implements ArkLifecycle, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("operator");

    private final KubernetesClient client;
    private final NotifySettings settings;
    private final ApprovalLinkSettings links;
    private final Clock clock;
    private final StatusRecorder<ArkNotify, ArkNotifyStatus> statuses;
    private final KubeEvents events;
    private final NoticeData data;
    private final ChannelClient channels;
    private final NoticeRateLimiter limiter;
    private final ScheduledExecutorService executor;
    // the agent reconciler may see a transition twice (its cache lags its own status write): tell each change once
    private final ConcurrentHashMap<String, Boolean> budgetStates = new ConcurrentHashMap<>();

    Notifier(KubernetesClient client, NotifySettings settings, StatusRecorder<ArkNotify, ArkNotifyStatus> statuses,
             Clock clock, ApprovalLinkSettings links) {
        this.client = client;
        this.links = links;
        this.settings = settings;
        this.clock = clock;
        this.statuses = statuses;
        this.events = new KubeEvents(client, clock);
        this.data = new NoticeData(settings.dashboardUrl());
        this.channels = new ChannelClient(settings.timeout(), settings.egress());
        this.limiter = new NoticeRateLimiter(clock);
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, DaemonThreads.named("ark-notify"));
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    @Override
    public void runFinished(ArkRun run, RunStatus status) {
        NotifyEventType type = switch (status.phase()) {
            case Succeeded -> NotifyEventType.TeamSucceeded;
            case Failed -> NotifyEventType.TeamFailed;
            case TimedOut -> NotifyEventType.TeamTimedOut;
            default -> null;
        };
        String team = run.getSpec() == null ? null : run.getSpec().teamName();
        if (type != null && team != null) {
            submit(() -> new Notice(type, run.getMetadata().getNamespace(), team, run.getMetadata().getName(),
                    data.forRun(type, team, run, status, clock.instant())));
        }
    }

    @Override
    public void stepFailed(ArkRun run, RunStatus status, String step, String message) {
        String team = run.getSpec() == null ? null : run.getSpec().teamName();
        if (team != null) {
            ArkRun copy = withStatus(run, status);
            submit(() -> new Notice(NotifyEventType.StepFailed, run.getMetadata().getNamespace(), team,
                    run.getMetadata().getName() + "/" + step, data.forStep(team, copy, step, message, clock.instant())));
        }
    }

    @Override
    public void approvalRequested(ArkRun run, RunStatus status, String step, int asking) {
        String team = run.getSpec() == null ? null : run.getSpec().teamName();
        if (team != null) {
            ArkRun copy = withStatus(run, status);
            submit(() -> new Notice(NotifyEventType.ApprovalRequested, run.getMetadata().getNamespace(), team,
                    run.getMetadata().getName() + "/" + step, data.forApproval(team, copy, step, clock.instant()),
                    new Notice.Approval(run.getMetadata().getUid(), step, asking, deadline(status, step))));
        }
    }

    /** The run as its new status has it, for the notice's data (the object passed in is the reconcile's). */
    private static ArkRun withStatus(ArkRun run, RunStatus status) {
        ArkRun copy = new ArkRun();
        copy.setMetadata(run.getMetadata());
        copy.setSpec(run.getSpec());
        copy.setStatus(status);
        return copy;
    }

    /** When a waiting step's approval.timeout ends it, if it has one. */
    private static Optional<java.time.Instant> deadline(RunStatus status, String step) {
        return status == null || status.steps() == null ? Optional.empty() : status.steps().stream()
                .filter(s -> step.equals(s.name())).findFirst().map(StepStatus::deadline).flatMap(Timestamps::parse);
    }

    @Override
    public void budgetChanged(ArkAgent agent, AgentStatus status, boolean exhausted) {
        Map<String, String> labels = agent.getMetadata().getLabels();
        String team = labels == null ? null : labels.get(Ark.LABEL_TEAM);
        Boolean before = budgetStates.put(agent.getMetadata().getNamespace() + "/" + agent.getMetadata().getName(), exhausted);
        if (team != null && !Boolean.valueOf(exhausted).equals(before)) {
            NotifyEventType type = exhausted ? NotifyEventType.BudgetExceeded : NotifyEventType.BudgetRestored;
            submit(() -> new Notice(type, agent.getMetadata().getNamespace(), team, agent.getMetadata().getName(),
                    data.forAgent(type, team, agent, status, clock.instant())));
        }
    }

    private void submit(Supplier<Notice> notice) {
        executor.execute(() -> {
            try {
                handle(notice.get());
            } catch (RuntimeException e) {
                LOG.warn("notification failed: {}", e.getMessage());
            }
        });
    }

    private void handle(Notice notice) {
        ArkTeam team = client.resources(ArkTeam.class).inNamespace(notice.namespace()).withName(notice.team()).get();
        if (team == null || team.getSpec() == null || team.getSpec().notifyRef() == null
                || team.getSpec().notifyRef().name() == null) {
            return;
        }
        String notifyName = team.getSpec().notifyRef().name();
        ArkNotify notify = client.resources(ArkNotify.class).inNamespace(notice.namespace()).withName(notifyName).get();
        if (notify == null || notify.getSpec() == null) {
            events.record(team, EventReason.NotifyNotFound, "spec.notifyRef names ArkNotify " + notifyName
                    + ", which does not exist in " + notice.namespace() + "; " + notice.type() + " of " + notice.subject() + " not sent");
            return;
        }
        ArkNotifySpec spec = notify.getSpec();
        List<NotifyEvent> configured = spec.eventList();
        int index = -1;
        for (int i = 0; i < configured.size(); i++) {
            if (configured.get(i).type() == notice.type()) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            return;
        }
        RateLimiting limits = spec.rateLimiting();
        if (limits != null && !limiter.admit(notice.namespace() + "/" + notifyName + "/" + notice.team() + "/" + notice.type(),
                limits.effectiveWindowSeconds(), limits.effectiveMaxPerWindow())) {
            record(notify, s -> s.toBuilder().suppressedCount(plusOne(s.suppressedCount()))
                    .lastDelivery(delivery(notice, "Suppressed", 0, null, "held back: more than "
                        + limits.effectiveMaxPerWindow() + " " + notice.type() + " message(s) for team " + notice.team()
                        + " within " + limits.effectiveWindowSeconds() + "s")).build());
            return;
        }
        Notice told = approvalLink(notice, notifyName)
                .map(link -> notice.withData(NoticeData.withApprovalUrl(notice.data(), link))).orElse(notice);
        String message;
        try {
            message = render(configured.get(index), told);
        } catch (TemplateException e) {
            String why = "spec.events[" + index + "].template: " + e.getMessage();
            fail(notify, delivery(told, "TemplateFailed", 0, null, why), EventReason.TemplateFailed);
            return;
        }
        Optional<String> url = url(told.namespace(), spec.channel().urlRef());
        if (url.isEmpty()) {
            SecretRef ref = spec.channel().urlRef();
            fail(notify, delivery(told, "Failed", 0, null, ref == null ? "the channel names no Secret"
                    : "Secret " + ref.name() + " has no key " + ref.key() + " (or does not exist)"), EventReason.DeliveryFailed);
            return;
        }
        attempt(notify, told, message, url.get(), 1);
    }

    /**
     * The link that decides the step, for the people this ArkNotify reaches; never recorded anywhere else (its status
     * keeps the message with the link replaced), since whoever reads the link may decide the step.
     */
    private Optional<String> approvalLink(Notice notice, String notifyName) {
        if (notice.approval() == null || links.links().isEmpty()) {
            return Optional.empty();
        }
        Notice.Approval asked = notice.approval();
        String[] runAndStep = notice.subject().split("/", 2);
        return Optional.of(links.links().get().url(new ApprovalLinks.Grant(notice.namespace(), runAndStep[0],
                asked.runUid(), asked.step(), asked.asking(), notifyName,
                links.expiry(asked.deadline(), clock.instant()))));
    }

    private void attempt(ArkNotify notify, Notice notice, String message, String url, int attempt) {
        ChannelClient.Outcome outcome = channels.send(notify.getSpec().channel().type(), url,
                notify.getMetadata().getName(), notice, message);
        if (outcome.delivered()) {
            record(notify, s -> s.toBuilder().sentCount(plusOne(s.sentCount()))
                    .lastDelivery(delivery(notice, "Sent", attempt, outcome.httpStatus(), withoutLink(notice, message)))
                    .build());
            return;
        }
        if (outcome.retryable() && attempt < settings.attempts()) {
            Duration wait = outcome.retryAfter().filter(w -> w.compareTo(settings.maxBackoff()) <= 0)
                    .orElse(settings.backoff(attempt));
            executor.schedule(() -> {
                try {
                    attempt(notify, notice, message, url, attempt + 1);
                } catch (RuntimeException e) {
                    LOG.warn("notification failed: {}", e.getMessage());
                }
            }, wait.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        fail(notify, delivery(notice, "Failed", attempt, outcome.httpStatus(), outcome.problem()
                + (attempt > 1 ? " (after " + attempt + " tries)" : "")), EventReason.DeliveryFailed);
    }

    private String render(NotifyEvent event, Notice notice) throws TemplateException {
        Map<String, Object> values = new HashMap<>(notice.data());
        String fallback = defaultMessage(notice);
        values.put("message", fallback);
        return event.template() == null ? fallback : Template.parse(event.template()).render(values);
    }

    @SuppressWarnings("unchecked")
    private static String defaultMessage(Notice notice) {
        Map<String, Object> data = notice.data();
        Map<String, Object> run = (Map<String, Object>) data.get("run");
        Map<String, Object> status = run == null ? Map.of() : (Map<String, Object>) run.get("status");
        String because = status.get("message") == null || "".equals(status.get("message")) ? "" : ": " + status.get("message");
        return switch (notice.type()) {
            case TeamSucceeded -> "run " + notice.subject() + " of team " + notice.team() + " succeeded";
            case TeamFailed -> "run " + notice.subject() + " of team " + notice.team() + " failed" + because;
            case TeamTimedOut -> "run " + notice.subject() + " of team " + notice.team() + " timed out" + because;
            case StepFailed -> "step " + notice.subject() + " of team " + notice.team() + " failed: "
                    + ((Map<String, Object>) data.get("step")).get("message");
            case BudgetExceeded -> "agent " + notice.subject() + " of team " + notice.team()
                    + " exhausted its rolling 24h token budget and is scaled to 0";
            case BudgetRestored -> "agent " + notice.subject() + " of team " + notice.team() + " has token budget again";
            case ApprovalRequested -> approvalMessage(notice);
        };
    }

    @SuppressWarnings("unchecked")
    private static String approvalMessage(Notice notice) {
        Map<String, Object> approval = (Map<String, Object>) notice.data().get("approval");
        String[] runAndStep = notice.subject().split("/", 2);
        String link = String.valueOf(approval.get("url"));
        return "step " + notice.subject() + " of team " + notice.team() + " waits for approval: "
                + approval.get("message") + "\n" + (link.isEmpty()
                ? "decide: ark approve " + runAndStep[0] + " " + runAndStep[1] + " -n " + notice.namespace()
                + " [--reject] [--comment <text>]"
                : "approve or reject: " + link);
    }

    private Optional<String> url(String namespace, SecretRef ref) {
        if (ref == null || ref.name() == null || ref.key() == null) {
            return Optional.empty();
        }
        Secret secret = client.secrets().inNamespace(namespace).withName(ref.name()).get();
        if (secret == null) {
            return Optional.empty();
        }
        if (secret.getData() != null && secret.getData().get(ref.key()) != null) {
            return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(ref.key())), StandardCharsets.UTF_8).strip());
        }
        return Optional.ofNullable(secret.getStringData() == null ? null : secret.getStringData().get(ref.key())).map(String::strip);
    }

    /** The message as the ArkNotify's status keeps it: an approval link in it is the channel's, not every reader's. */
    @SuppressWarnings("unchecked")
    private static String withoutLink(Notice notice, String message) {
        Object approval = notice.data().get("approval");
        Object url = approval instanceof Map<?, ?> map ? ((Map<String, Object>) map).get("url") : null;
        return url instanceof String link && !link.isEmpty() ? message.replace(link, "<approval link>") : message;
    }

    private NotifyDelivery delivery(Notice notice, String result, int attempts, Integer httpStatus, String message) {
        return new NotifyDelivery(notice.type(), notice.team(), notice.subject(), result, attempts == 0 ? null : attempts,
                httpStatus, message == null ? null : message.length() > 1024 ? message.substring(0, 1023) + "…" : message,
                clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private void fail(ArkNotify notify, NotifyDelivery delivery, EventReason reason) {
        record(notify, s -> s.toBuilder().failedCount(plusOne(s.failedCount())).lastDelivery(delivery)
                .lastFailure(delivery).build());
        events.record(notify, reason, delivery.event() + " of " + delivery.subject() + " not delivered: " + delivery.message());
    }

    private void record(ArkNotify notify, UnaryOperator<ArkNotifyStatus> change) {
        statuses.change(notify, change);
    }

    private static long plusOne(Long value) {
        return (value == null ? 0 : value) + 1;
    }

    /** Stops delivering; messages still queued or waiting for a retry are dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
