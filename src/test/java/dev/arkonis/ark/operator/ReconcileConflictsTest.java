package dev.arkonis.ark.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.ArkTeamStatus;
import dev.arkonis.ark.operator.agent.AgentReconciler;
import dev.arkonis.ark.operator.agent.BudgetEventSource;
import dev.arkonis.ark.operator.team.RunHistory;
import dev.arkonis.ark.operator.team.TeamReconciler;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.TeamValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A write refused because the object changed since it was read (409), or because its namespace is being deleted, is
 * no failure to tell anyone about: the next reconcile reads the newer copy, or the object goes with its namespace.
 * Every reconciler says so the same way; a real failure still makes a condition and a Warning Event.
 */
class ReconcileConflictsTest {
    private static final String NS = "conflicts";
    private KubernetesMockServer server;
    private KubernetesClient client;
    private TeamReconciler teams;
    private AgentReconciler agents;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        Clock clock = Clock.systemUTC();
        KubeEvents events = new KubeEvents(client, clock);
        UnreadableResources unreadable = new UnreadableResources(client, events);
        StatusRecorders statuses = new StatusRecorders(client, false, clock);
        teams = new TeamReconciler(new TeamValidator(new JsonSchemas()), new RunHistory(client), new SharedRuns(),
                statuses.of(ArkTeam.class, ArkTeamStatus.EMPTY, TeamReconciler.NAME), unreadable, clock);
        agents = new AgentReconciler(OperatorConfig.fromEnv(Map.of("TASK_QUEUE_URL", "redis://r:6379",
                "AGENT_IMAGE", "img", "OPERATOR_NAMESPACE", "ark-system")), new BudgetEventSource(null, clock, spec -> dev.arkonis.ark.queue.TokenBudget.NONE),
                events, statuses.of(ArkAgent.class, AgentStatus.EMPTY, AgentReconciler.NAME), unreadable, clock,
                ArkLifecycle.NONE);
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    /** What JOSDK hands updateErrorStatus, as far as these reconcilers read it: how many attempts failed before. */
    @SuppressWarnings("unchecked")
    private static <P extends HasMetadata> Context<P> attempt(int failedBefore) {
        RetryInfo retry = new RetryInfo() {
            @Override
            public int getAttemptCount() {
                return failedBefore;
            }

            @Override
            public boolean isLastAttempt() {
                return false;
            }
        };
        return (Context<P>) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getRetryInfo")) {
                        return Optional.of(retry);
                    }
                    throw new UnsupportedOperationException(method.getName() + " is not read on a failed reconcile");
                });
    }

    private static KubernetesClientException conflict() {
        return new KubernetesClientException(new StatusBuilder().withCode(409).withReason("Conflict")
                .withMessage("Operation cannot be fulfilled: the object has been modified").build());
    }

    private static <T extends HasMetadata> T named(T resource, String name) {
        resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).withGeneration(1L).build());
        return resource;
    }

    @Test
    void aConflictIsReadAgainWithoutAConditionOrAWarning() {
        ArkTeam team = named(new ArkTeam(), "t");
        ErrorStatusUpdateControl<ArkTeam> teamControl = teams.updateErrorStatus(team, attempt(0),
                new RuntimeException("reconcile failed", conflict()));
        ArkAgent agent = named(new ArkAgent(), "t-w");
        ErrorStatusUpdateControl<ArkAgent> agentControl = agents.updateErrorStatus(agent, attempt(0), conflict());

        assertThat(teamControl.isDefaultErrorProcessing()).isTrue();
        assertThat(agentControl.isDefaultErrorProcessing()).isTrue();
        assertThat(teamControl.getResource()).isEmpty();
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).as("no Warning for a conflict").isEmpty();
    }

    @Test
    void conflictsThatGoOnAreReportedAfterAllAsReconcileErrorsReachConditionsAndEvents() {
        ErrorStatusUpdateControl<ArkAgent> control = agents.updateErrorStatus(named(new ArkAgent(), "t-w"),
                attempt(ReconcileErrors.QUIET_CONFLICTS), conflict());

        assertThat(control.getResource().orElseThrow().getStatus().conditions())
                .filteredOn(c -> c.getType().equals(ReconcileErrors.CONDITION)).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).startsWith("Operation cannot be fulfilled"));
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).singleElement()
                .satisfies(e -> assertThat(e.getReason()).isEqualTo(ReconcileErrors.REASON));
    }

    @Test
    void aNamespaceBeingDeletedIsNoFailureEitherWhereverItStoppedTheReconcile() {
        KubernetesClientException terminating = new KubernetesClientException(new StatusBuilder().withCode(403)
                .withReason("Forbidden").withMessage("deployments.apps \"t-w\" is forbidden: unable to create new "
                        + "content in namespace conflicts because it is being terminated").build());
        ErrorStatusUpdateControl<ArkAgent> agentControl = agents.updateErrorStatus(named(new ArkAgent(), "t-w"), attempt(0),
                new io.javaoperatorsdk.operator.AggregatedOperatorException("workflow failed",
                        Map.of("deployment", terminating, "ark-operator.api-keys", conflict())));
        ErrorStatusUpdateControl<ArkTeam> teamControl = teams.updateErrorStatus(named(new ArkTeam(), "t"), attempt(9),
                new RuntimeException("reconcile failed", terminating));

        assertThat(agentControl.isDefaultErrorProcessing()).as("one dependent refused, the other conflicted").isTrue();
        assertThat(teamControl.isDefaultErrorProcessing()).isTrue();
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).isEmpty();
        assertThat(ReconcileErrors.nothingToReport(new KubernetesClientException(new StatusBuilder().withCode(404)
                .withReason("NotFound").withMessage("namespaces \"conflicts\" not found").build()), 0))
                .as("and once it is gone").isPresent();
        assertThat(ReconcileErrors.nothingToReport(new KubernetesClientException(new StatusBuilder().withCode(404)
                .withReason("NotFound").withMessage("configmaps \"prompts\" not found").build()), 0)).isEmpty();
        assertThat(ReconcileErrors.nothingToReport(new io.javaoperatorsdk.operator.AggregatedOperatorException("failed",
                Map.of("deployment", terminating, "agents", new IllegalStateException("spec unreadable"))), 0)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"403, Forbidden, deployments.apps is forbidden",
            "409, AlreadyExists, deployments.apps \"t-w\" already exists", "409, Invalid, Secret ark-operator.api-keys already exists"})
    void anyOtherFailureIsAConditionAndAWarningEvent(int code, String reason, String message) {
        ArkAgent agent = named(new ArkAgent(), "t-w");
        ErrorStatusUpdateControl<ArkAgent> control = agents.updateErrorStatus(agent, attempt(0),
                new KubernetesClientException(new StatusBuilder().withCode(code).withReason(reason)
                        .withMessage(message).build()));

        assertThat(control.getResource().orElseThrow().getStatus().conditions())
                .filteredOn(c -> c.getType().equals(ReconcileErrors.CONDITION)).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).isEqualTo(message));
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).singleElement()
                .satisfies(e -> assertThat(e.getReason()).isEqualTo(ReconcileErrors.REASON));
    }
}
