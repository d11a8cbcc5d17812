package dev.arkonis.ark.dashboard.view;

import dev.arkonis.ark.api.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Teams and their agents: each team's spending in the rolling 24h window (tokens, and what they cost where prices are
 * known), each role's pool (replicas ready of desired), spending against its rolling 24h budget and when it resets,
 * BudgetExceeded, and the queue of its stream (when Redis is reachable); and agents of no team.
 */
public record TeamsPage(Frame frame, String namespace, List<Team> teams, List<Agent> loneAgents, String queueNote) {

    /** @param spent24h what its roles' agents spent in the rolling 24h window, as its status says; null: unknown yet */
    public record Team(String namespace, String name, String href, String phase, String message, List<Agent> agents,
            List<Input> inputs, String lastRun, String lastRunHref, String notifyRef, TokenUsage spent24h) {
    }

    /**
     * One role's ArkAgent; queue numbers are null when unknown, costs null where no price is known.
     *
     * @param cost24h    US dollars its tokens of the rolling 24h window cost
     * @param costBudget its spending against its rolling 24h budget in US dollars, as its status says it
     *                   ({@code $1.20/$5}); null: no cost budget
     */
    public record Agent(String name, String role, String model, int ready, int desired, long tokens24h,
            BigDecimal cost24h, Long limit, String costBudget, String budget, Instant resetsAt, String budgetExceeded,
            String queue, Long queueLength, Long pending, String notReady) {
    }

    /** A declared input, and the form field the trigger form gives it. */
    public record Input(String name, String type, String description, boolean required, String defaultValue,
            String field) {
    }
}
