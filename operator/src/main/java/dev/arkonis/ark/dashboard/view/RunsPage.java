package dev.arkonis.ark.dashboard.view;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The list of runs: filters, a page of rows, newest first.
 *
 * @param costUSD what all the runs listed cost, of those whose models' prices were known
 */
public record RunsPage(Frame frame, List<String> namespaces, String namespace, String team, String phase,
        List<Row> rows, Paging paging, long tokens, BigDecimal costUSD, boolean allNamespaces) {

    /** @param costUSD null when no price was known for the run's models */
    public record Row(String namespace, String name, String href, String team, String teamHref, String phase,
            String steps, long tokens, BigDecimal costUSD, Instant started, Duration duration, boolean running,
            String trigger) {
    }
}
