package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.queue.OutputStore;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "List runs (team, phase, steps done/total, tokens, age), or show one run's steps.")
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", arity = "0..1", paramLabel = "<run>", description = "A run to show in detail.")
    String runName;

    @Option(names = "--team", paramLabel = "<team>", description = "Only runs of this team.")
    String team;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json", description = "text or json.")
    RunCommand.Format format;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    private final Supplier<KubernetesClient> clients;
    private final java.util.Map<String, String> env;

    StatusCommand() {
        this(null, System.getenv());
    }

    StatusCommand(Supplier<KubernetesClient> clients, java.util.Map<String, String> env) {
        this.clients = clients;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (KubernetesClient client = clients == null ? cluster.client() : clients.get()) {
            String ns = cluster.namespace(client);
            if (runName != null) {
                ArkRun run = client.resources(ArkRun.class).inNamespace(ns).withName(runName).get();
                if (run == null) {
                    err.println("error: run \"" + runName + "\" not found in namespace " + ns);
                    return ExitCodes.INVALID;
                }
                if (format == RunCommand.Format.json) {
                    out.println(JSON.writeValueAsString(run.getStatus()));
                } else {
                    showRun(run, out, err);
                }
                return ExitCodes.OK;
            }
            var query = client.resources(ArkRun.class).inNamespace(ns);
            List<ArkRun> runs = (team == null ? query : query.withLabel(dev.arkonis.ark.api.Ark.LABEL_TEAM, team))
                    .list().getItems().stream()
                    .sorted(Comparator.comparing((ArkRun r) -> r.getMetadata().getCreationTimestamp(),
                            Comparator.nullsFirst(Comparator.naturalOrder())))
                    .toList();
            var agentQuery = client.resources(ArkAgent.class).inNamespace(ns);
            List<AgentRow> agents = (team == null ? agentQuery : agentQuery.withLabel(dev.arkonis.ark.api.Ark.LABEL_TEAM, team))
                    .list().getItems().stream().map(AgentRow::of)
                    .sorted(Comparator.comparing(AgentRow::name)).toList();
            if (format == RunCommand.Format.json) {
                out.println(JSON.writeValueAsString(java.util.Map.of("runs", runs.stream().map(RunRow::of).toList(),
                        "agents", agents)));
            } else {
                listRuns(runs, ns, out);
                listAgents(agents, out);
            }
            return ExitCodes.OK;
        } catch (KubernetesClientException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.RUN_FAILED;
        }
    }

    private static void listRuns(List<ArkRun> runs, String ns, PrintWriter out) {
        if (runs.isEmpty()) {
            out.println("no runs in namespace " + ns);
            return;
        }
        String format = "%-32s  %-20s  %-10s  %-7s  %8s  %s%n";
        out.printf(format, "NAME", "TEAM", "PHASE", "STEPS", "TOKENS", "AGE");
        Instant now = Instant.now();
        for (ArkRun run : runs) {
            RunRow row = RunRow.of(run);
            out.printf(format, row.name(), row.team(), row.phase(), row.steps(), row.tokens(),
                    RunViews.age(run.getMetadata().getCreationTimestamp(), now));
        }
    }

    /** Whole outputs of steps whose output was cut in status, from Redis when TASK_QUEUE_URL says where it is. */
    private java.util.function.Function<StepStatus, String> wholeOutputs(ArkRun run, PrintWriter err) {
        String url = env.get("TASK_QUEUE_URL");
        if (url == null || url.isBlank()) {
            return StepStatus::output;
        }
        return step -> {
            if (!Boolean.TRUE.equals(step.outputTruncated())) {
                return step.output();
            }
            try (RedisConnections redis = RedisConnections.open(url)) {
                String key = OutputStore.stepKey(dev.arkonis.ark.api.Names.queue(run.getMetadata().getNamespace(),
                        RunViews.team(run), step.role()), run.getMetadata().getName(), step.name());
                return new OutputStore(redis.shared(), java.time.Duration.ofDays(7)).load(key).orElse(step.output());
            } catch (RedisUnavailableException e) {
                err.println("warning: " + e.getMessage() + "; showing the output as cut in status");
                return step.output();
            }
        };
    }

    /** The run's whole output when its status holds only the start of it (the status budget cut it). */
    private String wholeRunOutput(ArkRun run, PrintWriter err) {
        String url = env.get("TASK_QUEUE_URL");
        String cut = run.getStatus().output();
        if (url == null || url.isBlank()) {
            return cut;
        }
        try (RedisConnections redis = RedisConnections.open(url)) {
            return new OutputStore(redis.shared(), java.time.Duration.ofDays(7)).load(dev.arkonis.ark.api.Names.runOutput(
                    run.getMetadata().getNamespace(), RunViews.team(run), run.getMetadata().getName())).orElse(cut);
        } catch (RedisUnavailableException e) {
            err.println("warning: " + e.getMessage() + "; showing the output as cut in status");
            return cut;
        }
    }

    private static void listAgents(List<AgentRow> agents, PrintWriter out) {
        if (agents.isEmpty()) {
            return;
        }
        out.println();
        String format = "%-32s  %-5s  %11s  %-20s  %s%n";
        out.printf(format, "AGENT", "READY", "TOKENS(24H)", "BUDGET", "");
        for (AgentRow agent : agents) {
            out.printf(format, agent.name(), agent.ready(), agent.tokens24h(), agent.budget(),
                    agent.budgetExceeded() == null ? "" : agent.budgetExceeded());
        }
    }

    /** One line of the agent list: spending against the rolling 24h budget. */
    record AgentRow(String name, String ready, long tokens24h, String budget, String budgetExceeded) {
        static AgentRow of(ArkAgent agent) {
            var status = agent.getStatus();
            String exceeded = status == null || status.conditions() == null ? null : status.conditions().stream()
                    .filter(c -> dev.arkonis.ark.api.Ark.CONDITION_BUDGET_EXCEEDED.equals(c.getType())
                            && "True".equals(c.getStatus()))
                    .map(c -> "BudgetExceeded: " + c.getMessage()
                            + (status.budgetResetsAt() == null ? "" : "; resumes at " + status.budgetResetsAt()))
                    .findFirst().orElse(null);
            return new AgentRow(agent.getMetadata().getName(),
                    (status == null || status.readyReplicas() == null ? 0 : status.readyReplicas()) + "/"
                            + agent.getSpec().effectiveReplicas(),
                    status == null || status.dailyTokenUsage() == null ? 0 : status.dailyTokenUsage().totalTokens(),
                    status == null || status.budget() == null ? "" : status.budget(), exceeded);
        }
    }

    private void showRun(ArkRun run, PrintWriter out, PrintWriter err) {
        java.util.function.Function<StepStatus, String> outputs = wholeOutputs(run, err);
        out.println(RunViews.summary(run));
        List<StepState> steps = RunViews.steps(run);
        if (!steps.isEmpty()) {
            out.println();
            int width = Math.max(4, steps.stream().mapToInt(s -> s.name().length()).max().orElse(4));
            steps.forEach(step -> out.println(StepLines.step(step, width)));
        }
        RunStatus status = run.getStatus();
        if (status == null || status.steps() == null) {
            return;
        }
        for (StepStatus step : status.steps()) {
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

    /** One line of the run list. */
    record RunRow(String name, String team, String phase, String steps, long tokens, String created) {
        static RunRow of(ArkRun run) {
            RunStatus status = run.getStatus();
            return new RunRow(run.getMetadata().getName(), RunViews.team(run), RunViews.phase(run).name(),
                    status == null || status.stepsDone() == null ? "0/0" : status.stepsDone(),
                    status == null || status.totalTokenUsage() == null ? 0 : status.totalTokenUsage().totalTokens(),
                    run.getMetadata().getCreationTimestamp());
        }
    }
}
