package dev.arkonis.ark.cli;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.Usd;
import dev.arkonis.ark.cli.term.TextWidth;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The tables of {@code ark status}: runs and agents, with a NAMESPACE column under -A and more under -o wide. */
final class StatusTables {
    private static final String RUN_FORMAT = "%-32s  %-20s  %-10s  %-7s  %8s  %9s  %-5s";
    private static final String RUN_WIDE = "  %-20s  %-12s  %s";
    private static final String TEAM_FORMAT = "%-32s  %-9s  %5s  %11s  %9s";
    private static final String AGENT_FORMAT = "%-32s  %-5s  %11s  %9s  %-20s  %s";
    private static final String AGENT_WIDE = "%-32s  %-5s  %11s  %9s  %-20s  %-24s  %-40s  %s";

    private final boolean namespaces;
    private final Instant now;

    StatusTables(boolean namespaces, Instant now) {
        this.namespaces = namespaces;
        this.now = now;
    }

    void runs(List<ArkRun> runs, String ns, boolean wide, PrintWriter out) {
        if (runs.isEmpty()) {
            out.println(ns == null ? "no runs in any namespace" : "no runs in namespace " + ns);
            return;
        }
        out.println(header(String.format(RUN_FORMAT, "NAME", "TEAM", "PHASE", "STEPS", "TOKENS", "COST", "AGE")
                + (wide ? String.format(RUN_WIDE, "STARTED", "FAILED STEP", "MESSAGE") : "")).stripTrailing());
        runs.forEach(r -> out.println(runLine(r, wide)));
    }

    String runLine(ArkRun run, boolean wide) {
        RunRow row = RunRow.of(run);
        String line = String.format(RUN_FORMAT, row.name(), row.team(), row.phase(), row.steps(), row.tokens(), Usd.format(row.costUSD()),
                RunViews.age(run.getMetadata().getCreationTimestamp(), now));
        if (wide) {
            RunStatus status = run.getStatus();
            line += String.format(RUN_WIDE, status == null || status.startTime() == null ? "" : status.startTime(),
                    status == null || status.failedStep() == null ? "" : status.failedStep(),
                    status == null ? "" : TextWidth.flatten(status.message()));
        }
        return (namespaces ? String.format("%-20s  ", run.getMetadata().getNamespace()) : "") + line.stripTrailing();
    }

    /** Each team's spending in the rolling 24h window, tokens and money, as its status sums its agents'. */
    void teams(List<ArkTeam> teams, PrintWriter out) {
        if (teams.isEmpty()) {
            return;
        }
        out.println();
        out.println(header(String.format(TEAM_FORMAT, "TEAM", "PHASE", "ROLES", "TOKENS(24H)", "COST(24H)")).stripTrailing());
        for (ArkTeam team : teams) {
            TeamRow row = TeamRow.of(team);
            out.println(((namespaces ? String.format("%-20s  ", row.namespace()) : "") + String.format(TEAM_FORMAT,
                    row.name(), row.phase(), row.roles(), row.tokens24h(), Usd.format(row.costUSD24h()))).stripTrailing());
        }
    }

    void agents(List<ArkAgent> agents, boolean wide, PrintWriter out) {
        if (agents.isEmpty()) {
            return;
        }
        out.println();
        out.println(wide ? header(String.format(AGENT_WIDE, "AGENT", "READY", "TOKENS(24H)", "COST(24H)", "BUDGET", "MODEL",
                "QUEUE", "")).stripTrailing()
                : header(String.format(AGENT_FORMAT, "AGENT", "READY", "TOKENS(24H)", "COST(24H)", "BUDGET", "")).stripTrailing());
        for (ArkAgent agent : agents) {
            AgentRow row = AgentRow.of(agent);
            String extra = row.budgetExceeded() == null ? "" : row.budgetExceeded();
            String line = wide
                    ? String.format(AGENT_WIDE, row.name(), row.ready(), row.tokens24h(), Usd.format(row.costUSD24h()),
                            row.budget(), row.model(), row.queue(), extra)
                    : String.format(AGENT_FORMAT, row.name(), row.ready(), row.tokens24h(), Usd.format(row.costUSD24h()),
                            row.budget(), extra);
            out.println((namespaces ? String.format("%-20s  ", agent.getMetadata().getNamespace()) : "") + line.stripTrailing());
        }
    }

    private String header(String columns) {
        return (namespaces ? String.format("%-20s  ", "NAMESPACE") : "") + columns;
    }

    /** One line of the run list. */
    /** @param costUSD what the run's calls cost so far, null when no price was known */
    record RunRow(String namespace, String name, String team, String phase, String steps, long tokens,
                  BigDecimal costUSD, String created) {
        static RunRow of(ArkRun run) {
            RunStatus status = run.getStatus();
            return new RunRow(run.getMetadata().getNamespace(), run.getMetadata().getName(), RunViews.team(run),
                    RunViews.phase(run).name(), status == null || status.stepsDone() == null ? "0/0" : status.stepsDone(),
                    status == null || status.totalTokenUsage() == null ? 0 : status.totalTokenUsage().totalTokens(),
                    status == null || status.totalTokenUsage() == null ? null : status.totalTokenUsage().costUSD(),
                    run.getMetadata().getCreationTimestamp());
        }
    }

    /** One line of the team list: its spending in the rolling 24h window. */
    record TeamRow(String namespace, String name, String phase, int roles, long tokens24h, BigDecimal costUSD24h) {
        static TeamRow of(ArkTeam team) {
            var status = team.getStatus();
            var spent = status == null ? null : status.dailyUsage();
            return new TeamRow(team.getMetadata().getNamespace(), team.getMetadata().getName(),
                    status == null || status.phase() == null ? "Pending" : status.phase().name(),
                    team.getSpec() == null ? 0 : team.getSpec().roleList().size(), spent == null ? 0 : spent.totalTokens(),
                    spent == null ? null : spent.costUSD());
        }
    }

    /** One line of the agent list: spending against the rolling 24h budget. */
    record AgentRow(String namespace, String name, String ready, long tokens24h, BigDecimal costUSD24h, String budget,
            String budgetExceeded, String model, String queue) {
        static AgentRow of(ArkAgent agent) {
            var status = agent.getStatus();
            String exceeded = status == null || status.conditions() == null ? null : status.conditions().stream()
                    .filter(c -> Ark.CONDITION_BUDGET_EXCEEDED.equals(c.getType()) && "True".equals(c.getStatus()))
                    .map(c -> "BudgetExceeded: " + c.getMessage()
                            + (status.budgetResetsAt() == null ? "" : "; resumes at " + status.budgetResetsAt()))
                    .findFirst().orElse(null);
            return new AgentRow(agent.getMetadata().getNamespace(), agent.getMetadata().getName(),
                    (status == null || status.readyReplicas() == null ? 0 : status.readyReplicas()) + "/"
                            + agent.getSpec().effectiveReplicas(),
                    status == null || status.dailyTokenUsage() == null ? 0 : status.dailyTokenUsage().totalTokens(),
                    status == null || status.dailyTokenUsage() == null ? null : status.dailyTokenUsage().costUSD(),
                    status == null || status.budget() == null ? "" : status.budget(), exceeded,
                    agent.getSpec().model(), status == null || status.queue() == null ? "" : status.queue());
        }
    }

}
