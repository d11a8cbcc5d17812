package dev.arkonis.ark.operator;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkNotify;
import dev.arkonis.ark.api.ArkNotifyStatus;
import dev.arkonis.ark.operator.notify.NotifySettings;
import dev.arkonis.ark.operator.notify.Notifications;
import dev.arkonis.ark.operator.trigger.TriggerSettings;
import dev.arkonis.ark.operator.trigger.Triggers;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one way statuses are written, as far as the fabric8 mock can tell (it checks no resource versions: that a status
 * is written only over the copy it was decided from, and that many writers lose no change, StatusRecorderIT holds on
 * the real API server): an unchanged status is not written, and a failed reconcile of any controller, ArkEvent and
 * ArkNotify included, is told in its Reconciled condition, which the next reconcile that succeeds turns True.
 */
class StatusRecorderTest {
    private static final String NS = "statuses";

    private MockCluster cluster;
    private StatusRecorders statuses;
    private Triggers triggers;
    private Notifications notifications;

    @BeforeEach
    void start() {
        cluster = MockCluster.notStarted(MockCluster.env());
        statuses = new StatusRecorders(cluster.client, false, Clock.systemUTC());
        triggers = new Triggers(cluster.client, statuses, TriggerSettings.fromEnv(Map.of()), "ark-system", new SharedRuns(),
                Clock.systemUTC());
        notifications = new Notifications(cluster.client, statuses, NotifySettings.fromEnv(Map.of()), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        notifications.close();
        triggers.close();
        cluster.close();
    }

    private ArkNotify notify(String name) {
        return cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkNotify
                metadata: {name: %s, namespace: statuses}
                spec:
                  channel: {type: slack, slack: {webhookUrlSecretRef: {name: hook, key: url}}}
                  events: [{type: TeamFailed}]
                """.formatted(name), ArkNotify.class);
    }

    private ArkEvent cronEvent(String name) {
        return cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkEvent
                metadata: {name: %s, namespace: statuses}
                spec:
                  source: {type: cron, cron: "0 8 * * *"}
                  targets: [{team: t}]
                """.formatted(name), ArkEvent.class);
    }

    private ArkNotify read(String name) {
        return cluster.client.resources(ArkNotify.class).inNamespace(NS).withName(name).get();
    }

    private StatusRecorder<ArkNotify, ArkNotifyStatus> notifies() {
        return statuses.of(ArkNotify.class, ArkNotifyStatus.EMPTY, "arknotify");
    }

    @Test
    void anUnchangedStatusIsNotWritten() {
        ArkNotify notify = notify("unchanged");
        StatusRecorder<ArkNotify, ArkNotifyStatus> recorder = notifies();
        ArkNotify written = recorder.over(notify, ArkNotifyStatus.builder().sentCount(1L).build());

        assertThat(recorder.record(written, written.getStatus(), null)).isSameAs(written);
        assertThat(recorder.change(written, s -> s)).isPresent();
        assertThat(read("unchanged").getMetadata().getResourceVersion()).as("nothing was written")
                .isEqualTo(written.getMetadata().getResourceVersion());
    }

    @Test
    void aChangeOfAnObjectThatIsGoneWritesNothing() {
        ArkNotify gone = notify("gone");
        cluster.client.resource(gone).delete();
        eventually().until(() -> read("gone") == null);
        assertThat(notifies().change(gone, s -> s.toBuilder().sentCount(1L).build())).isEmpty();
        assertThat(read("gone")).isNull();
    }

    /** What JOSDK hands updateErrorStatus, as far as a controller reads it: how many attempts failed before. */
    @SuppressWarnings("unchecked")
    private static <P extends HasMetadata> Context<P> firstAttempt() {
        return (Context<P>) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getRetryInfo")) {
                        return Optional.empty();
                    }
                    throw new UnsupportedOperationException(method.getName() + " is not read on a failed reconcile");
                });
    }

    private static KubernetesClientException etcdDown() {
        return new KubernetesClientException(new StatusBuilder().withCode(500).withReason("InternalError")
                .withMessage("etcdserver: request timed out").build());
    }

    private static <P extends HasMetadata> Condition reconciled(Reconciler<P> reconciler, P object) {
        ErrorStatusUpdateControl<P> control = reconciler.updateErrorStatus(object, firstAttempt(),
                new RuntimeException("reconcile failed", etcdDown()));
        P failed = control.getResource().orElseThrow();
        Object status = ((io.fabric8.kubernetes.client.CustomResource<?, ?>) failed).getStatus();
        return ((dev.arkonis.ark.api.ArkStatus<?>) status).conditions().stream()
                .filter(c -> c.getType().equals(ReconcileErrors.CONDITION)).findFirst().orElseThrow();
    }

    @Test
    void aFailedReconcileOfAnArkEventOrArkNotifyIsToldAsEveryOtherControllerTellsIt() {
        ArkNotify notify = notify("failing");
        ArkEvent event = cronEvent("failing");

        for (Condition condition : List.of(reconciled(notifications.reconciler(), notify),
                reconciled(triggers.reconciler(), event))) {
            assertThat(condition.getStatus()).isEqualTo("False");
            assertThat(condition.getReason()).isEqualTo(ReconcileErrors.REASON);
            assertThat(condition.getMessage()).isEqualTo("etcdserver: request timed out");
        }
        assertThat(cluster.client.v1().events().inNamespace(NS).list().getItems())
                .extracting(e -> e.getInvolvedObject().getKind() + " " + e.getReason())
                .containsExactlyInAnyOrder("ArkNotify ReconcileError", "ArkEvent ReconcileError");
    }

    @Test
    void theNextReconcileThatSucceedsTurnsTheReconciledConditionTrueForArkEventsAndArkNotifiesToo() {
        Instant failedAt = Instant.parse("2026-01-01T00:00:00Z");
        List<Condition> failed = ReconcileErrors.failed(null, etcdDown(), 1L, failedAt);
        ArkNotify notify = notify("recovering");
        notifies().over(notify, ArkNotifyStatus.builder().conditions(failed).build());
        ArkEvent event = cronEvent("recovering");
        statuses.of(ArkEvent.class, dev.arkonis.ark.api.ArkEventStatus.EMPTY, "arkevent")
                .over(event, dev.arkonis.ark.api.ArkEventStatus.builder().conditions(failed).build());

        ArkOperator operator = cluster.operator(MockCluster.env(), OperatorAssembly::withoutQueue);
        operator.start();
        try {
            eventually().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(reconciledOf(read("recovering").getStatus().conditions())).isEqualTo("True");
                assertThat(reconciledOf(cluster.client.resources(ArkEvent.class).inNamespace(NS)
                        .withName("recovering").get().getStatus().conditions())).isEqualTo("True");
            });
        } finally {
            operator.stop();
        }
    }

    private static String reconciledOf(List<Condition> conditions) {
        return conditions.stream().filter(c -> c.getType().equals(ReconcileErrors.CONDITION)).map(Condition::getStatus)
                .findFirst().orElse("absent");
    }
}
