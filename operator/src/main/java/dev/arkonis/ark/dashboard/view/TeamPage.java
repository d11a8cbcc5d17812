package dev.arkonis.ark.dashboard.view;

import java.util.List;
import java.util.Map;

/** One team: its agents, the form that starts a run with its inputs, and its latest runs. */
public record TeamPage(Frame frame, TeamsPage.Team team, List<RunsPage.Row> runs, String queueNote,
        Map<String, String> given, List<String> problems, boolean canTrigger) {
}
