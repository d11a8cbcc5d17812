package dev.arkonis.ark.dashboard.view;

import java.time.Instant;
import java.util.List;

/**
 * Teams and their agents: each role's pool (replicas ready of desired), spending against its rolling 24h budget and
 * when it resets, BudgetExceeded, and the queue of its stream (when Redis is reachable); and agents of no team.
 */
public record TeamsPage(Frame frame, String namespace, List<Team> teams, List<Agent> loneAgents, String queueNote) {

    public record Team(String namespace, String name, String href, String phase, String message, List<Agent> agents,
            List<Input> inputs, String lastRun, String lastRunHref, String notifyRef) {
    }

    /** One role's ArkAgent; queue numbers are null when unknown. */
    public record Agent(String name, String role, String model, int ready, int desired, long tokens24h, Long limit,
            String budget, Instant resetsAt, String budgetExceeded, String queue, Long queueLength, Long pending,
            String notReady) {
    }

    /** A declared input, and the form field the trigger form gives it. */
    public record Input(String name, String type, String description, boolean required, String defaultValue,
            String field) {
    }
}
