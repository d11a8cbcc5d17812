package dev.arkonis.ark.dashboard.view;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The list of runs: filters, a page of rows, newest first. */
public record RunsPage(Frame frame, List<String> namespaces, String namespace, String team, String phase,
        List<Row> rows, Paging paging, long tokens, boolean allNamespaces) {

    public record Row(String namespace, String name, String href, String team, String teamHref, String phase,
            String steps, long tokens, Instant started, Duration duration, boolean running, String trigger) {
    }
}
