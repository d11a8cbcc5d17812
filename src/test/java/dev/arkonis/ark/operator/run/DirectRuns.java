package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.queue.MemoryTransport;
import dev.arkonis.ark.queue.ResultDelivery;
import dev.arkonis.ark.queue.TaskResult;
import io.fabric8.kubernetes.api.model.Event;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.List;

/**
 * Runs of the namespace {@value #NS}, reconciled by a run reconciler called directly (no JOSDK loop, no agent, no
 * Redis): the mocked API server, the transport in memory, what an agent answers, and what a test reads back.
 */
final class DirectRuns implements AutoCloseable {
    static final String NS = "direct";

    final MockCluster cluster = MockCluster.notStarted(MockCluster.env());
    final MemoryTransport transport = new MemoryTransport();

    ArkRun get(String name) {
        return cluster.client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
    }

    /** One reconcile of the run as the API server has it now, with these results pending; the run afterwards. */
    ArkRun reconcile(RunReconciler reconciler, String name, List<ResultDelivery> results) {
        reconcileOnce(reconciler, name, results);
        return get(name);
    }

    UpdateControl<ArkRun> reconcileOnce(RunReconciler reconciler, String name, List<ResultDelivery> results) {
        ArkRun run = get(name);
        return reconciler.reconcile(run, new TestContext(cluster.client, run, results));
    }

    /** An ArkRun of the team; {@code spec}: more fields of its spec, as YAML flow entries ("" for none). */
    void createRun(String name, String team, String spec) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: %s, namespace: direct}
                spec: {teamRef: {name: %s}%s}
                """.formatted(name, team, spec.isEmpty() ? "" : ", " + spec), ArkRun.class);
    }

    void createRun(String name, String team) {
        createRun(name, team, "");
    }

    List<MemoryTransport.Entry> tasks(String stream) {
        return transport.entries(stream);
    }

    /** An agent's answer to the task (3 tokens in, 4 out), as it lands on the result stream and the operator reads it. */
    List<ResultDelivery> answer(MemoryTransport.Entry task, String output) {
        transport.answer(task, TaskResult.succeeded(task.fields().get("task"), output, 3, 4, "pod", 1,
                MemoryTransport.copied(task)));
        return transport.read(10, Duration.ZERO);
    }

    static StepStatus step(ArkRun run, String name) {
        return run.getStatus().steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** The run's Events in the order they say things happened (by eventTime, as kubectl describe lists them). */
    List<Event> told(String run) {
        return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> run.equals(e.getInvolvedObject().getName()))
                .sorted(java.util.Comparator.comparing((Event e) -> e.getEventTime().getTime())).toList();
    }

    /** What the run's Events tell, one line each, in order. */
    String story(String run) {
        return String.join("\n", told(run).stream().map(Event::getMessage).toList());
    }

    /** The reasons of the run's Events. */
    List<String> events(String run) {
        return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> run.equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
