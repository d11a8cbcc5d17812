package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.core.ConditionTimeoutException;

/** A namespace of its own for one test, on the shared cluster; deleted (with all it holds) on close. */
public final class TestNamespace implements AutoCloseable {
    public final String name;
    private final ArkCluster cluster;

    private TestNamespace(ArkCluster cluster, String name) {
        this.cluster = cluster;
        this.name = name;
    }

    public static TestNamespace create(ArkCluster cluster, String prefix) {
        String name = prefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        cluster.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return new TestNamespace(cluster, name);
    }

    /** A namespace of a fixed name (created if missing), for tests whose settings name it. */
    public static TestNamespace named(ArkCluster cluster, String name) {
        cluster.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .serverSideApply();
        return new TestNamespace(cluster, name);
    }

    /** {@code kubectl apply -n <ns> -f <file>} of the YAML, as a user applies it. */
    public Command.Result apply(String yaml) {
        try {
            Path file = Files.createTempFile("apply", ".yaml");
            try {
                Files.writeString(file, yaml);
                return cluster.kube.kubectl("apply", "-n", name, "-f", file.toString());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Command.Result kubectl(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("-n", name));
        return cluster.kube.kubectl(all.toArray(String[]::new));
    }

    public ArkRun run(String run) {
        return cluster.admin.resources(ArkRun.class).inNamespace(name).withName(run).get();
    }

    public ArkTeam team(String team) {
        return cluster.admin.resources(ArkTeam.class).inNamespace(name).withName(team).get();
    }

    public ArkAgent agent(String agent) {
        return cluster.admin.resources(ArkAgent.class).inNamespace(name).withName(agent).get();
    }

    /** Creates an ArkRun of the team with this input (a YAML flow map). */
    public void startRun(String run, String team, String input) {
        apply("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: %s}
                spec:
                  teamRef: {name: %s}
                  input: %s
                """.formatted(run, team, input)).assertSuccess();
    }

    public RunStatus awaitPhase(String run, RunPhase phase, Duration within) {
        try {
            eventually().atMost(within).until(() -> run(run).getStatus().phase() == phase);
        } catch (ConditionTimeoutException e) {
            ArkRun now = run(run);
            throw new AssertionError("run " + name + "/" + run + " never reached " + phase + "; status: "
                    + (now == null ? "(gone)" : now.getStatus()) + "\n" + describe("arkrun", run), e);
        }
        return run(run).getStatus();
    }

    public RunStatus awaitPhase(String run, RunPhase phase) {
        return awaitPhase(run, phase, Duration.ofSeconds(90));
    }

    /** The pods of an agent once as many as wanted are Ready. */
    public List<Pod> awaitReadyPods(String agent, int count) {
        return eventually().atMost(Duration.ofSeconds(90)).until(() -> cluster.admin.pods().inNamespace(name)
                .withLabel("arkonis.dev/agent", agent).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && ready(p)).toList(), l -> l.size() == count);
    }

    /** Once an agent has no pod left at all (terminating ones included), as after a scale to 0. */
    public void awaitNoPods(String agent) {
        eventually().atMost(Duration.ofSeconds(90)).until(() -> cluster.admin.pods().inNamespace(name)
                .withLabel("arkonis.dev/agent", agent).list().getItems().isEmpty());
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    public List<String> eventReasons(String object) {
        return cluster.admin.v1().events().inNamespace(name).list().getItems().stream()
                .filter(e -> object.equals(e.getInvolvedObject().getName())).map(Event::getReason)
                .filter(Objects::nonNull).toList();
    }

    /** The Events about an object, each as {@code <type> <reason>: <message>}. */
    public List<String> events(String object) {
        return cluster.admin.v1().events().inNamespace(name).list().getItems().stream()
                .filter(e -> object.equals(e.getInvolvedObject().getName()))
                .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage()).toList();
    }

    /**
     * What the object's Events tell, one line each in the order they say things happened (by eventTime): a run's
     * timeline, whose transitions one Event may tell several of.
     */
    public String story(String object) {
        return String.join("\n", cluster.admin.v1().events().inNamespace(name).list().getItems().stream()
                .filter(e -> object.equals(e.getInvolvedObject().getName()))
                .sorted(java.util.Comparator.comparing((Event e) -> e.getEventTime() == null ? ""
                        : e.getEventTime().getTime()))
                .map(Event::getMessage).toList());
    }

    public String describe(String kind, String object) {
        return kubectl("describe", kind, object).transcript();
    }

    @Override
    public void close() {
        try {
            cluster.admin.namespaces().withName(name).delete();
        } catch (KubernetesClientException e) {
            // already gone
        }
    }
}
