package dev.arkonis.ark.dashboard.view;

import java.util.List;

/**
 * Tokens over time per team and role, summed from the runs the API server holds (each run's steps, counted in the
 * bucket of the run's start): a stacked bar chart and the same numbers as a table.
 */
public record TokensPage(Frame frame, String namespace, String team, String bucket, List<String> series,
        List<Bar> bars, long total, int runs, int width, int height, long max) {

    /** One time bucket: its label and the tokens of each series, stacked. */
    public record Bar(String label, List<Part> parts, long total, int x) {
    }

    public record Part(String series, int index, long tokens, int y, int height) {
    }
}
