package dev.arkonis.ark.operator;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.HashMap;
import java.util.Map;
import dev.arkonis.ark.operator.run.RunSettings;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisUnavailableException;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionFactory;

/**
 * The fabric8 mock API server in CRUD mode with an {@link ArkOperator} running in-process against it, assembled as
 * {@code ark operator} assembles it ({@link OperatorAssembly}).
 */
public final class MockCluster implements AutoCloseable {
    // the mock server logs every request at INFO through java.util.logging; held so the level sticks
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    public final KubernetesMockServer server;
    public final KubernetesClient client;
    public final ArkOperator operator;

    /** Teams and agents only (no Redis): the operator unbudgeted, runs not executed. */
    public MockCluster(Map<String, String> env) {
        this(env, OperatorAssembly::withoutQueue);
    }

    /** The whole operator, on this Redis, with the run settings of the environment. */
    public static MockCluster withRuns(Map<String, String> env, RedisConnections redis) {
        return new MockCluster(env, operator -> operator.withRedis(redis));
    }

    /** The whole operator, on this Redis, with these run settings. */
    public static MockCluster withRuns(Map<String, String> env, RedisConnections redis, RunSettings runs) {
        return new MockCluster(env, operator -> operator.withRedis(redis).withRunSettings(runs));
    }

    /**
     * @param overrides what the operator under test differs in from {@code ark operator}'s, which it is otherwise
     *                  (the same assembly, on this cluster's API server)
     */
    public MockCluster(Map<String, String> env, UnaryOperator<OperatorAssembly> overrides) {
        this(env, overrides, true);
    }

    /** A cluster whose operator the test starts itself ({@code cluster.operator.start()}), after creating objects. */
    public static MockCluster notStarted(Map<String, String> env) {
        return new MockCluster(env, OperatorAssembly::withoutQueue, false);
    }

    private MockCluster(Map<String, String> env, UnaryOperator<OperatorAssembly> overrides, boolean start) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new PermissiveCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        operator = operator(env, overrides);
        if (start) {
            operator.start();
        }
    }

    /** Another operator process on this cluster's API server (a restart, a successor), not started. */
    public ArkOperator operator(Map<String, String> env, UnaryOperator<OperatorAssembly> overrides) {
        try {
            return overrides.apply(OperatorAssembly.fromEnv(env).withClient(client)).build();
        } catch (RedisUnavailableException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "TASK_QUEUE_URL", "redis://redis.ark-system:6379",
                "AGENT_IMAGE", "ghcr.io/arkonis-dev/ark:test",
                "OPERATOR_NAMESPACE", "ark-system",
                "LEADER_ELECTION", "false",
                "HEALTH_PORT", "0",
                // fabric8's mock answers an apply with 415: logic tests patch; the real-cluster ITs apply
                "SERVER_SIDE_APPLY", "false"));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    /** A deadline sized for a loaded CI machine: a passing test returns as soon as its condition holds. */
    public static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions();
    }

    /** A user's edit while the operator writes the status: read, change, write, and again on a 409, as with kubectl edit. */
    public <T extends HasMetadata> T edit(Class<T> type, String namespace, String name, UnaryOperator<T> change) {
        return eventually().until(() -> client.resources(type).inNamespace(namespace).withName(name).edit(change),
                java.util.Objects::nonNull);
    }

    /** Parses YAML written as users write it and creates the object. */
    public <T extends HasMetadata> T create(String yaml, Class<T> type) {
        return client.resource(parse(yaml, type)).create();
    }

    public <T extends HasMetadata> T parse(String yaml, Class<T> type) {
        return client.resources(type).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).item();
    }

    /** Plays the Deployment controller: reports {@code ready} of the Deployment's pods ready. */
    public void setReady(String namespace, String deployment, int ready) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        d.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(ready)
                .withAvailableReplicas(ready).withObservedGeneration(d.getMetadata().getGeneration()).build());
        client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
    }

    /**
     * CRUD, plus the answer a cluster gives an operator allowed everything to the SelfSubjectRulesReview JOSDK sends
     * before leader election (the CRUD dispatcher would reject it for lacking metadata).
     */
    private static final class PermissiveCrudDispatcher extends KubernetesCrudDispatcher {
        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
                return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(
                        new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule().withApiGroups("*")
                                .withResources("*").withVerbs("*").endResourceRule().withIncomplete(false).endStatus()
                                .build()));
            }
            return super.handleCreate(request);
        }
    }

    @Override
    public void close() {
        operator.stop();
        client.close();
        try {
            server.destroy();
        } catch (RejectedExecutionException e) {
            // the mock server's Vert.x loop can stop before its own shutdown hands back: it is down either way
        }
    }
}
