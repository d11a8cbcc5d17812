package dev.arkonis.ark.cluster.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod on the harness node, from binding to deletion: an IP and a hosts file, its volumes, a process per
 * container (its args with {@code $(VAR)} expanded from its environment, restarted with back-off as restartPolicy
 * says), readiness from its readiness probe (checked every second), a restart when its liveness probe fails as often as
 * its failureThreshold says once the container was ready, and its status patched as a kubelet patches it. Deletion stops the processes (SIGTERM,
 * then SIGKILL after the grace period) and removes the pod, as the kubelet's final delete does.
 */
final class PodWorker {
    private static final Logger LOG = LoggerFactory.getLogger("harness-kubelet");
    private static final long MAX_GRACE_SECONDS = 30;

    private final HarnessKubelet kubelet;
    private final String namespace;
    private final String name;
    private final String uid;
    private final String ip;
    private final Path dir;
    private final Path hostsFile;
    private final Instant startTime = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private volatile Pod pod;
    private volatile ServiceHosts.PodAddress address;
    private Map<String, Path> volumes;
    private boolean terminating;
    private String lastStatusJson;
    private ScheduledFuture<?> ticking;

    /** A container's life so far. */
    private static final class Run {
        final Container spec;
        ContainerProcess process;
        List<String> command = List.of();
        Map<String, String> env = Map.of();
        Map<Integer, Integer> ports = Map.of();
        Prober prober;
        boolean wasReady;
        int livenessFailures;
        Instant nextLiveness = Instant.EPOCH;
        int restarts;
        boolean ready;
        String waitingReason = "ContainerCreating";
        String waitingMessage;
        Instant notBefore = Instant.EPOCH;
        ContainerState lastState;

        Run(Container spec) {
            this.spec = spec;
        }
    }

    PodWorker(HarnessKubelet kubelet, Pod pod) throws IOException {
        this.kubelet = kubelet;
        this.pod = pod;
        this.namespace = pod.getMetadata().getNamespace();
        this.name = pod.getMetadata().getName();
        this.uid = pod.getMetadata().getUid();
        this.ip = kubelet.loopback().allocate();
        this.dir = kubelet.podsDir().resolve(namespace + "_" + name + "_" + uid.substring(0, 8));
        Files.createDirectories(dir);
        this.hostsFile = dir.resolve("hosts");
        for (Container c : pod.getSpec().getContainers()) {
            runs.put(c.getName(), new Run(c));
        }
        updateAddress();
    }

    void begin() {
        kubelet.hosts().register(hostsFile, namespace, name, ip);
        ticking = kubelet.executor().scheduleWithFixedDelay(this::tickQuietly, 0, 1, TimeUnit.SECONDS);
    }

    void update(Pod latest) {
        this.pod = latest;
        if (latest.getMetadata().getDeletionTimestamp() != null) {
            kubelet.executor().execute(this::terminate);
        }
    }

    /** The pod as Services select it (no IP while nothing runs), without waiting for the pod's lock. */
    ServiceHosts.PodAddress address() {
        return address;
    }

    private void updateAddress() {
        Map<String, String> labels = pod.getMetadata().getLabels();
        boolean started = !terminating && runs.values().stream().anyMatch(r -> r.process != null);
        address = new ServiceHosts.PodAddress(namespace, labels == null ? Map.of() : labels,
                started ? ip : null, started && runs.values().stream().allMatch(r -> r.ready),
                pod.getSpec().getHostname(), pod.getSpec().getSubdomain());
    }

    synchronized PodView view() {
        List<PodView.ContainerView> containers = new ArrayList<>();
        runs.forEach((n, r) -> {
            if (r.process != null) {
                containers.add(new PodView.ContainerView(n, r.spec.getImage(), r.command, r.env, r.ports, log(n),
                        r.process.pid(), r.restarts, r.ready));
            }
        });
        return new PodView(namespace, name, uid, ip, containers);
    }

    private Path log(String container) {
        return dir.resolve(container + ".log");
    }

    /**
     * The container's output, or its previous run's (what `kubectl logs --previous` shows); while none runs (it
     * ended, or waits to restart) `kubectl logs` shows the one that ended last.
     */
    Path log(String container, boolean previous) {
        Path current = dir.resolve(container + ".log");
        return previous || Files.exists(current) ? dir.resolve(container + (previous ? ".previous.log" : ".log"))
                : dir.resolve(container + ".previous.log");
    }

    boolean is(String namespace, String name) {
        return this.namespace.equals(namespace) && this.name.equals(name);
    }

    private void tickQuietly() {
        try {
            if (tick()) {
                // outside this pod's lock: the refresh reads every pod's address
                kubelet.hosts().refresh();
            }
        } catch (RuntimeException e) {
            LOG.warn("pod {}/{}: {}", namespace, name, e.toString());
        }
    }

    /** One kubelet sync of the pod; tells whether a container started, stopped or changed readiness. */
    private synchronized boolean tick() {
        if (terminating) {
            return false;
        }
        if (volumes == null) {
            try {
                volumes = kubelet.volumes().materialize(pod, dir);
            } catch (ContainerEnv.ConfigError | IOException | KubernetesClientException e) {
                runs.values().forEach(r -> waiting(r, "ContainerCreating", "MountVolume.SetUp failed: " + e.getMessage()));
                postStatus();
                return false;
            }
        }
        boolean changed = false;
        for (Run run : runs.values()) {
            boolean wasRunning = run.process != null;
            boolean wasReady = run.ready;
            if (run.process == null && !Instant.now().isBefore(run.notBefore)) {
                start(run);
            } else if (run.process != null && !run.process.isAlive()) {
                exited(run);
            } else if (run.process != null && livenessFailed(run)) {
                LOG.info("pod {}/{}: container {} failed its liveness probe {} times; restarting it", namespace, name,
                        run.spec.getName(), run.livenessFailures);
                run.process.stop(grace());
                exited(run);
            }
            run.ready = run.process != null && run.process.isAlive() && probeReady(run);
            run.wasReady |= run.ready;
            changed |= wasRunning != (run.process != null) || wasReady != run.ready;
        }
        postStatus();
        updateAddress();
        return changed;
    }

    private void start(Run run) {
        Container c = run.spec;
        Optional<StandIn> image = kubelet.images().find(c.getImage());
        if (image.isEmpty()) {
            waiting(run, "ErrImagePull", "the harness has no local stand-in for image " + c.getImage());
            run.notBefore = Instant.now().plusSeconds(5);
            return;
        }
        try {
            Map<String, String> env = kubelet.env().resolve(pod, c, ip, kubelet.serviceLinks());
            // the kubelet expands $(VAR) in command and args from the container's environment
            Container expanded = new ContainerBuilder(c).withCommand(ContainerEnv.expand(c.getCommand(), env))
                    .withArgs(ContainerEnv.expand(c.getArgs(), env)).build();
            StandIn.Context context = new StandIn.Context(pod, expanded, dir, ip, mounts(c), memoryLimit(c));
            StandIn.Launch launch = image.get().launch(context);
            env.putAll(launch.env());
            env.put("HOSTNAME", name);
            env.put("HOME", dir.toString());
            List<String> command = kubelet.mountNamespace().wrap(hostsFile, launch.command());
            run.process = ContainerProcess.start(command, env, dir, log(c.getName()),
                    kubelet.podsDir().resolve(uid + "-" + c.getName() + ".pid"));
            run.command = launch.command();
            run.env = Map.copyOf(env);
            run.ports = launch.ports();
            run.prober = new Prober(image.get(), context, run.env, ip, run.ports);
            run.wasReady = false;
            run.livenessFailures = 0;
            run.nextLiveness = Instant.now().plusSeconds(seconds(c.getLivenessProbe() == null ? null
                    : c.getLivenessProbe().getInitialDelaySeconds(), 0));
            run.waitingReason = null;
            run.waitingMessage = null;
            LOG.info("pod {}/{}: started {} ({}) as pid {} on {}", namespace, name, c.getName(), c.getImage(),
                    run.process.pid(), ip);
        } catch (ContainerEnv.ConfigError e) {
            waiting(run, "CreateContainerConfigError", e.getMessage());
            run.notBefore = Instant.now().plusSeconds(1);
        } catch (IOException | KubernetesClientException e) {
            waiting(run, "RunContainerError", e.getMessage());
            run.notBefore = Instant.now().plusSeconds(2);
        }
    }

    private void exited(Run run) {
        int code = run.process.exitCode().orElse(-1);
        run.process.exited();
        run.lastState = new ContainerStateBuilder().withNewTerminated().withExitCode(code)
                .withReason(code == 0 ? "Completed" : "Error").withStartedAt(time(run.process.startedAt()))
                .withFinishedAt(time(Instant.now())).endTerminated().build();
        LOG.info("pod {}/{}: container {} exited with {}", namespace, name, run.spec.getName(), code);
        run.process = null;
        run.ready = false;
        String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
        if (policy.equals("Never") || (policy.equals("OnFailure") && code == 0)) {
            run.notBefore = Instant.MAX;
            waiting(run, null, null);
            return;
        }
        run.restarts++;
        // the kubelet's back-off (10 s doubling to 5 min), shortened for tests
        long backoff = Math.min(8, 1L << Math.min(run.restarts - 1, 3));
        run.notBefore = Instant.now().plusSeconds(backoff);
        waiting(run, "CrashLoopBackOff", "back-off " + backoff + "s restarting failed container=" + run.spec.getName()
                + " pod=" + name + "_" + namespace + "(" + uid + ")");
    }

    private static void waiting(Run run, String reason, String message) {
        run.waitingReason = reason;
        run.waitingMessage = message;
    }

    private boolean probeReady(Run run) {
        Probe probe = run.spec.getReadinessProbe();
        return probe == null || run.prober.passes(probe);
    }

    /**
     * Probes liveness when its period is due, once the container was ready (as behind a startup probe: a JVM that
     * starts slowly on a loaded test machine is not killed for it); true once it failed failureThreshold times in a row.
     */
    private boolean livenessFailed(Run run) {
        Probe probe = run.spec.getLivenessProbe();
        if (probe == null || !run.wasReady || Instant.now().isBefore(run.nextLiveness)) {
            return false;
        }
        run.nextLiveness = Instant.now().plusSeconds(seconds(probe.getPeriodSeconds(), 10));
        if (run.prober.passes(probe)) {
            run.livenessFailures = 0;
            return false;
        }
        return ++run.livenessFailures >= seconds(probe.getFailureThreshold(), 3);
    }

    private static int seconds(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private long grace() {
        Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
        return Math.min(grace == null ? 30 : grace, MAX_GRACE_SECONDS);
    }

    private Map<String, Path> mounts(Container c) {
        Map<String, Path> mounts = new HashMap<>();
        for (VolumeMount m : c.getVolumeMounts()) {
            Path volume = volumes.get(m.getName());
            if (volume != null) {
                mounts.put(m.getMountPath(), m.getSubPath() == null || m.getSubPath().isEmpty() ? volume
                        : volume.resolve(m.getSubPath()));
            }
        }
        return mounts;
    }

    private static OptionalLong memoryLimit(Container c) {
        if (c.getResources() == null || c.getResources().getLimits() == null) {
            return OptionalLong.empty();
        }
        Quantity memory = c.getResources().getLimits().get("memory");
        return memory == null ? OptionalLong.empty() : OptionalLong.of(Quantity.getAmountInBytes(memory).longValue());
    }

    private void postStatus() {
        PodStatus status = status();
        String json = Serialization.asJson(Map.of("status", status));
        if (json.equals(lastStatusJson)) {
            return;
        }
        try {
            kubelet.client().pods().inNamespace(namespace).withName(name).subresource("status")
                    .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), json);
            lastStatusJson = json;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                LOG.warn("pod {}/{}: status patch failed: {}", namespace, name, e.getMessage());
            }
        }
    }

    private PodStatus status() {
        List<ContainerStatus> statuses = new ArrayList<>();
        boolean allReady = true;
        boolean anyRunning = false;
        for (Run run : runs.values()) {
            ContainerState state;
            if (run.process != null) {
                anyRunning = true;
                state = new ContainerStateBuilder().withNewRunning().withStartedAt(time(run.process.startedAt()))
                        .endRunning().build();
            } else if (run.waitingReason != null) {
                state = new ContainerStateBuilder().withNewWaiting().withReason(run.waitingReason)
                        .withMessage(run.waitingMessage).endWaiting().build();
            } else {
                state = run.lastState;
            }
            allReady &= run.ready;
            statuses.add(new ContainerStatusBuilder().withName(run.spec.getName()).withImage(run.spec.getImage())
                    .withImageID(run.process == null ? "" : ImageCatalog.imageId(run.spec.getImage()))
                    .withContainerID(run.process == null ? null : "harness://" + run.process.pid())
                    .withReady(run.ready).withStarted(run.process != null).withRestartCount(run.restarts)
                    .withState(state).withLastState(run.lastState).build());
        }
        String phase = anyRunning ? "Running" : "Pending";
        if (!anyRunning && runs.values().stream().allMatch(r -> r.notBefore.equals(Instant.MAX))) {
            phase = runs.values().stream().allMatch(r -> r.lastState != null && r.lastState.getTerminated().getExitCode() == 0)
                    ? "Succeeded" : "Failed";
        }
        String now = time(startTime);
        String ready = allReady ? "True" : "False";
        List<PodCondition> conditions = List.of(
                condition("PodReadyToStartContainers", "True", now),
                condition("Initialized", "True", now),
                condition("Ready", ready, now),
                condition("ContainersReady", ready, now),
                condition("PodScheduled", "True", now));
        return new PodStatusBuilder().withPhase(phase).withHostIP("127.0.0.1").addNewHostIP("127.0.0.1")
                .withPodIP(ip).addNewPodIP(ip).withStartTime(now).withConditions(conditions)
                .withContainerStatuses(statuses).withQosClass(null).build();
    }

    private static PodCondition condition(String type, String status, String time) {
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(time).build();
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Stops every container and removes the pod from the API server (the kubelet's final, grace-0 delete). */
    void terminate() {
        synchronized (this) {
            if (terminating) {
                return;
            }
            terminating = true;
        }
        if (ticking != null) {
            ticking.cancel(false);
        }
        stopAll(grace());
        kubelet.hosts().forget(hostsFile);
        kubelet.forget(uid);
        kubelet.hosts().refresh();
        try {
            kubelet.client().pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                LOG.warn("pod {}/{}: final delete failed: {}", namespace, name, e.getMessage());
            }
        }
        kubelet.loopback().release(ip);
    }

    /** Stops the processes without touching the API server (the harness itself is going away). */
    synchronized void stopAll(long graceSeconds) {
        terminating = true;
        updateAddress();
        for (Run run : runs.values()) {
            if (run.process != null) {
                int code = run.process.stop(graceSeconds);
                LOG.info("pod {}/{}: stopped {} (exit {})", namespace, name, run.spec.getName(), code);
                run.process = null;
            }
        }
    }
}
