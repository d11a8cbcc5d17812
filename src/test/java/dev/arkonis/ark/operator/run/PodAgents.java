package dev.arkonis.ark.operator.run;

import static org.awaitility.Awaitility.await;

import dev.arkonis.ark.agent.AgentConfig;
import dev.arkonis.ark.agent.AgentRuntime;
import dev.arkonis.ark.llm.LlmSetup;
import dev.arkonis.ark.operator.KubeletEnv;
import dev.arkonis.ark.telemetry.Telemetry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the kubelet for agent pods: starts agent runtimes in-process from the environment of the Deployment the
 * operator created, so what is tested is the pod contract itself.
 */
public final class PodAgents implements AutoCloseable {
    private final KubernetesClient client;
    private final Map<String, List<AgentRuntime>> pods = new HashMap<>();
    private final List<Telemetry> telemetries = new ArrayList<>();

    public PodAgents(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Starts one pod of the agent's Deployment, once the operator has created it; a start that fails (its Redis user
     * not set yet, e.g. right after Redis restarted) is tried again, as the kubelet restarts a container that exited.
     */
    public AgentRuntime start(String namespace, String deployment, Map<String, String> overrides) throws Exception {
        Deployment d = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> client.apps().deployments().inNamespace(namespace).withName(deployment).get(),
                        found -> found != null);
        List<AgentRuntime> running = pods.computeIfAbsent(deployment, k -> new ArrayList<>());
        String podName = deployment + "-pod-" + running.size();
        AgentRuntime agent = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> startOnce(namespace, d, podName, overrides), started -> started != null);
        running.add(agent);
        return agent;
    }

    private AgentRuntime startOnce(String namespace, Deployment d, String podName, Map<String, String> overrides)
            throws Exception {
        Map<String, String> env = new HashMap<>(KubeletEnv.resolve(client, namespace,
                d.getSpec().getTemplate().getSpec().getContainers().get(0), podName));
        env.put("AGENT_VISIBILITY_TIMEOUT_SECONDS", "2");
        env.putAll(overrides);
        // as AgentCommand does: traced as the pod's OTEL_* say (the operator passes its own on)
        Telemetry telemetry = Telemetry.fromEnv(env, "ark-agent");
        telemetries.add(telemetry);
        AgentRuntime agent = new AgentRuntime(AgentConfig.fromEnv(env), LlmSetup.fromEnv(env, telemetry),
                Clock.systemUTC(), telemetry);
        agent.start();
        return agent;
    }

    public AgentRuntime start(String namespace, String deployment) throws Exception {
        return start(namespace, deployment, Map.of());
    }

    @Override
    public void close() {
        pods.values().forEach(list -> list.forEach(AgentRuntime::abort));
        telemetries.forEach(Telemetry::close);
    }
}
