package dev.arkonis.ark.cli;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.cli.term.Terminal;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.queue.RedisUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List runs (team, phase, steps done/total, tokens, age) and agents, or show one run's steps.")
final class StatusCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<run>", description = "A run to show in detail.")
    String runName;

    @Option(names = "--team", paramLabel = "<team>", description = "Only runs and agents of this team.")
    String team;

    @Option(names = {"-o", "--output"}, paramLabel = "text|wide|name|json|yaml",
            description = "text, wide (more columns), name (kind/name per line), json or yaml.")
    String output;

    @Option(names = "--format", hidden = true, description = "Old spelling of -o/--output.")
    String legacyFormat;

    @Option(names = "--timeline", description = "With a run: where its time went, a bar per step (start, took, tokens,"
            + " retries); -o json gives the same timings.")
    boolean timeline;

    @Option(names = {"-A", "--all-namespaces"}, description = "Runs and agents of every namespace.")
    boolean allNamespaces;

    @Option(names = {"-w", "--watch"}, description = "Keep going: a line per run change (a run: its steps live, to its end).")
    boolean watch;

    @Option(names = "--watch-timeout", converter = DurationConverter.Timeout.class, paramLabel = "<duration>",
            description = "With --watch: stop after this long (default 1h).")
    Duration watchTimeout = Duration.ofHours(1);

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    private final Supplier<KubernetesClient> clients;
    private final Map<String, String> env;

    StatusCommand() {
        this(null, System.getenv());
    }

    StatusCommand(Supplier<KubernetesClient> clients, Map<String, String> env) {
        this.clients = clients;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<OutputChoice> choice = OutputChoice.resolve(output, legacyFormat, null, err, OutputFormat.text,
                OutputFormat.wide, OutputFormat.name, OutputFormat.json, OutputFormat.yaml);
        if (choice.isEmpty() || choice.get().file() != null) {
            if (choice.isPresent()) {
                err.println("error: -o takes text, wide, name, json or yaml; see --help");
            }
            return ExitCodes.INVALID;
        }
        OutputFormat format = choice.get().format();
        if (timeline && runName == null) {
            err.println("error: --timeline shows one run: ark status <run> --timeline");
            return ExitCodes.INVALID;
        }
        if (allNamespaces && runName != null) {
            err.println("error: a run is named within one namespace: use -n <ns> with a run name, not -A");
            return ExitCodes.INVALID;
        }
        return cluster.call(clients, env, err, runName == null ? "listing runs" : "reading run " + runName, client -> {
            String ns = allNamespaces ? null : cluster.namespace(client);
            if (runName != null) {
                return showRun(client, ns, format, out, err);
            }
            List<ArkRun> runs = list(client, ArkRun.class, ns);
            List<ArkAgent> agents = list(client, ArkAgent.class, ns);
            StatusTables tables = new StatusTables(allNamespaces, Instant.now());
            switch (format) {
                case json, yaml -> {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("runs", runs.stream().map(StatusTables.RunRow::of).toList());
                    doc.put("agents", agents.stream().map(StatusTables.AgentRow::of).toList());
                    out.println(Printed.as(format, doc));
                }
                case name -> {
                    runs.forEach(r -> out.println("arkrun/" + r.getMetadata().getName()));
                    agents.forEach(a -> out.println("arkagent/" + a.getMetadata().getName()));
                }
                default -> {
                    tables.runs(runs, ns, format == OutputFormat.wide, out);
                    tables.agents(agents, format == OutputFormat.wide, out);
                }
            }
            out.flush();
            if (watch) {
                return watchRuns(client, ns, tables, format, out);
            }
            return ExitCodes.OK;
        });
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> list(KubernetesClient client, Class<T> type,
            String ns) {
        MixedOperation<T, KubernetesResourceList<T>, Resource<T>> resources = client.resources(type);
        var query = ns == null ? resources.inAnyNamespace() : resources.inNamespace(ns);
        var items = team == null ? query.list().getItems() : query.withLabel(Ark.LABEL_TEAM, team).list().getItems();
        return items.stream()
                .sorted(Comparator.comparing((T r) -> String.valueOf(r.getMetadata().getNamespace()))
                        .thenComparing(r -> r.getMetadata().getCreationTimestamp(), Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(r -> r.getMetadata().getName()))
                .toList();
    }

    private int showRun(KubernetesClient client, String ns, OutputFormat format, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        ArkRun run = client.resources(ArkRun.class).inNamespace(ns).withName(runName).get();
        if (run == null) {
            err.println("error: run \"" + runName + "\" not found in namespace " + ns);
            return ExitCodes.INVALID;
        }
        if (watch && !RunViews.phase(run).isFinished()) {
            ArkRun finished = new RunWatcher(client, out, new Terminal(env).isLive(1), new Terminal(env))
                    .follow(ns, runName, watchTimeout);
            return finished != null && RunViews.phase(finished) == RunPhase.Succeeded ? ExitCodes.OK : ExitCodes.RUN_FAILED;
        }
        if (timeline) {
            Timeline gantt = RunViews.timeline(run, Instant.now());
            switch (format) {
                case json, yaml -> out.println(Printed.as(format, gantt.document()));
                default -> {
                    out.println(RunViews.summary(run));
                    out.println();
                    Terminal terminal = new Terminal(env);
                    gantt.lines(terminal.isLive(1) ? terminal.size().columns() : 80).forEach(out::println);
                }
            }
            return ExitCodes.OK;
        }
        switch (format) {
            case json, yaml -> out.println(Printed.as(format, run.getStatus()));
            case name -> out.println("arkrun/" + run.getMetadata().getName());
            default -> showRunText(run, out, err);
        }
        return ExitCodes.OK;
    }

    /** Like kubectl get -w: a line each time a run is added or changes phase or progress, until the timeout. */
    private int watchRuns(KubernetesClient client, String ns, StatusTables tables, OutputFormat format, PrintWriter out)
            throws InterruptedException {
        Map<String, String> last = new java.util.HashMap<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Watcher<ArkRun> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, ArkRun run) {
                if (team != null && !team.equals(RunViews.team(run))) {
                    return;
                }
                String line = switch (format) {
                    case json -> Printed.json(StatusTables.RunRow.of(run)).replaceAll("\\s*\\n\\s*", " ");
                    case name -> "arkrun/" + run.getMetadata().getName();
                    default -> tables.runLine(run, format == OutputFormat.wide);
                };
                String key = run.getMetadata().getNamespace() + "/" + run.getMetadata().getName();
                synchronized (last) {
                    if (action == Action.DELETED) {
                        last.remove(key);
                        out.println(line + (format == OutputFormat.text || format == OutputFormat.wide ? "  (deleted)" : ""));
                    } else if (!line.equals(last.put(key, line))) {
                        out.println(line);
                    }
                    out.flush();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                closed.complete(null);
            }
        };
        var resources = client.resources(ArkRun.class);
        try (Watch ignored = (ns == null ? resources.inAnyNamespace().watch(watcher) : resources.inNamespace(ns).watch(watcher))) {
            closed.get(watchTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException stop) {
            // the watch ran its time
        }
        return ExitCodes.OK;
    }

    /** Whole outputs of steps whose output was cut in status, from Redis when TASK_QUEUE_URL says where it is. */
    private java.util.function.Function<StepStatus, String> wholeOutputs(ArkRun run, PrintWriter err) {
        WholeOutputs whole = WholeOutputs.fromEnv(env);
        if (!whole.configured()) {
            return StepStatus::output;
        }
        return step -> {
            try {
                return whole.step(run, step).orElse(step.output());
            } catch (RedisUnavailableException e) {
                err.println("warning: " + e.getMessage() + "; showing the output as cut in status");
                return step.output();
            }
        };
    }

    /** The run's whole output when its status holds only the start of it (the status budget cut it). */
    private String wholeRunOutput(ArkRun run, PrintWriter err) {
        String cut = run.getStatus().output();
        try {
            return WholeOutputs.fromEnv(env).run(run).orElse(cut);
        } catch (RedisUnavailableException e) {
            err.println("warning: " + e.getMessage() + "; showing the output as cut in status");
            return cut;
        }
    }

    private void showRunText(ArkRun run, PrintWriter out, PrintWriter err) {
        java.util.function.Function<StepStatus, String> outputs = wholeOutputs(run, err);
        out.println(RunViews.summary(run));
        List<StepState> steps = RunViews.steps(run);
        if (!steps.isEmpty()) {
            out.println();
            int width = PlainDisplay.nameWidth(steps, Integer.MAX_VALUE);
            steps.forEach(step -> out.println(StepLines.step(step, width)));
        }
        RunStatus status = run.getStatus();
        if (status == null || status.steps() == null) {
            return;
        }
        for (StepStatus step : status.steps()) {
            if (step.phase() == StepPhase.WaitingForApproval && step.approval() != null) {
                out.println();
                out.println("--- " + step.name() + " waits for approval ---");
                out.println(step.approval().message());
                out.println("decide: ark approve " + run.getMetadata().getName() + " " + step.name()
                        + " -n " + run.getMetadata().getNamespace() + " [--reject] [--comment <text>]");
                out.println("    or: kubectl annotate arkrun " + run.getMetadata().getName() + " -n "
                        + run.getMetadata().getNamespace() + " " + Ark.ANNOTATION_APPROVE_PREFIX
                        + RunPatches.decisionName(run, step.name())
                        + "=\"$(kubectl auth whoami -o jsonpath='{.status.userInfo.username}')\"   (reject.arkonis.dev/... rejects)");
            }
            if (step.output() != null && !step.output().isEmpty()) {
                out.println();
                String text = outputs.apply(step);
                boolean cut = Boolean.TRUE.equals(step.outputTruncated()) && text.equals(step.output());
                out.println("--- " + step.name() + " output" + (cut
                        ? " (cut to fit the status; set TASK_QUEUE_URL to read the whole text from Redis)" : "") + " ---");
                out.println(text);
            }
        }
        if (status.output() != null) {
            out.println();
            out.println("--- run output ---");
            out.println(Boolean.TRUE.equals(status.outputTruncated()) ? wholeRunOutput(run, err) : status.output());
        }
    }
}
