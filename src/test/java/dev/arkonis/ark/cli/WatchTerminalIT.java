package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.cli.term.TextWidth;
import dev.arkonis.ark.llm.StubHttpServer;
import dev.arkonis.ark.llm.StubHttpServer.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ark run --watch} in a real terminal of a fixed size (tmux), read back as a person sees it. */
class WatchTerminalIT {
    private static final Duration LONG_ENOUGH = Duration.ofSeconds(60);

    @BeforeAll
    static void needsTmux() {
        assertThat(ArkTerminal.available()).as("tmux (installed by .ci/run) runs the terminal these tests read").isTrue();
    }

    /** No line of the table is longer than the screen, so the terminal wrapped none of them. */
    private static void assertNothingWrapped(ArkTerminal terminal, List<String> rowsOfSteps) throws Exception {
        List<String> joined = terminal.everything(true);
        for (String line : joined) {
            if (rowsOfSteps.stream().anyMatch(line::startsWith)) {
                assertThat(TextWidth.width(line)).as("row %s", line).isLessThan(terminal.columns());
            }
        }
    }

    /** Rows of the step table (a phase after the name); the timeline's rows after the run have bars instead. */
    private static final String PHASE = "\\s+(Pending|Running|Succeeded|Failed|Skipped|TimedOut)\\b.*";

    private static long count(List<String> screen, String prefix) {
        return screen.stream().filter(l -> l.matches("^" + prefix + PHASE)).count();
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"80, 24", "40, 10"})
    void theReadmesFirstCommandReadsCleanly(int columns, int rows) throws Exception {
        try (ArkTerminal terminal = ArkTerminal.start(columns, rows, Map.of(), "run", "examples/linear.yaml",
                "--provider", "mock", "--watch", "--mock-latency", "300ms")) {
            // while it runs: one row per step, a running step with its attempt and time
            List<String> running = terminal.waitFor(s -> s.stream().anyMatch(l -> l.matches("^writer\\s+Running\\s+attempt 1\\s+\\d+\\.\\ds.*")),
                    LONG_ENOUGH);
            assertThat(count(running, "researcher")).isEqualTo(1);
            assertThat(terminal.exitCode(terminal.finalScreen(LONG_ENOUGH))).isZero();
            // at 40x10 the table has scrolled up by the end: read the whole window
            List<String> screen = terminal.everything(false);
            for (String step : List.of("researcher", "writer", "editor")) {
                assertThat(count(screen, step)).as("rows of %s in %s", step, screen).isEqualTo(1);
                assertThat(screen.stream().filter(l -> l.startsWith(step + " ")).findFirst().orElseThrow())
                        .matches("^" + step + "\\s+Succeeded\\s+\\d+ms.*");
            }
            assertThat(String.join(" ", screen)).contains("Succeeded in").contains("3/3 steps succeeded")
                    .doesNotContain("\u001b", "Pending", "Running");
            assertNothingWrapped(terminal, List.of("researcher", "writer", "editor", "run blog-writer", "3/3"));
        }
    }

    @Test
    void stepsBeyondTheScreenAreSummarisedOnOneRow(@TempDir Path dir) throws Exception {
        StringBuilder team = new StringBuilder("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: wide}
                spec:
                  roles: [{name: r, model: m, limits: {maxConcurrentTasks: 4}}]
                  pipeline:
                """);
        for (int i = 0; i < 60; i++) {
            team.append("    - {name: s").append(i).append(", role: r, inputs: {prompt: \"step ").append(i).append("\"}}\n");
        }
        Path file = dir.resolve("wide.yaml");
        Files.writeString(file, team);
        try (ArkTerminal terminal = ArkTerminal.start(40, 10, Map.of(), "run", file.toString(), "--provider", "mock",
                "--watch", "--mock-latency", "200ms")) {
            List<String> midway = terminal.waitFor(s -> s.stream().anyMatch(l -> l.startsWith("… ") && l.contains("running")),
                    LONG_ENOUGH);
            assertThat(midway.stream().filter(l -> l.startsWith("… "))).hasSize(1);
            assertThat(midway.stream().filter(l -> l.matches("^s\\d+\\s.*")).count()).isLessThanOrEqualTo(8);
            assertThat(terminal.exitCode(terminal.finalScreen(LONG_ENOUGH))).isZero();
            List<String> screen = terminal.everything(false);
            assertThat(String.join(" ", screen)).contains("60/60 steps succeeded");
            // every step row on the screen is there once
            List<String> steps = screen.stream().filter(l -> l.matches("^s\\d+" + PHASE)).map(l -> l.split("\\s+")[0]).toList();
            assertThat(steps).doesNotHaveDuplicates();
            assertNothingWrapped(terminal, List.of("s", "… "));
        }
    }

    @Test
    void aProviderErrorOfManyLinesStaysOnItsRowAndRetriesAreShown(@TempDir Path dir) throws Exception {
        try (StubHttpServer server = new StubHttpServer()) {
            server.reply(new Reply(503, Map.of("Retry-After", "1", "Content-Type", "text/plain"), "busy\nbusy\n"));
            server.reply(new Reply(400, Map.of("Content-Type", "text/plain"),
                    "Bad request:\n  field model is wrong\n  see the docs\n"));
            Path file = dir.resolve("one.yaml");
            Files.writeString(file, """
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: one}
                    spec:
                      roles: [{name: asker, model: gpt-4o}]
                      pipeline: [{role: asker, inputs: {prompt: hello}}]
                    """);
            try (ArkTerminal terminal = ArkTerminal.start(80, 24, Map.of("OPENAI_API_KEY", "sk-test",
                    "OPENAI_BASE_URL", server.url() + "/v1"), "run", file.toString(), "--watch")) {
                List<String> retrying = terminal.waitFor(s -> s.stream().anyMatch(l -> l.contains("retry 2/8 in 1.0s: 503 service unavailable")),
                        LONG_ENOUGH);
                assertThat(retrying.stream().filter(l -> l.startsWith("asker")).findFirst().orElseThrow())
                        .contains("Running", "attempt 1", "retry 2/8 in 1.0s: 503 service unavailable");
                List<String> screen = terminal.finalScreen(LONG_ENOUGH);
                assertThat(terminal.exitCode(screen)).isEqualTo(1);
                assertThat(screen.stream().filter(l -> l.matches("^asker" + PHASE)))
                        .singleElement().asString().contains("Failed", "request rejected (400)");
                assertNothingWrapped(terminal, List.of("asker"));
                // the whole message, on one line of words, in the summary below the table
                assertThat(String.join(" ", terminal.everything(false)))
                        .contains("step asker failed: openai: request rejected (400) from " + server.url()
                                + "/v1/chat/completions: Bad request: field model is wrong see the docs")
                        .doesNotContain("Exception", "null");
            }
        }
    }

    @Test
    void aReplyThatFailsItsChecksIsShownRawAboveTheTable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("strict.yaml");
        Files.writeString(file, """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: strict}
                spec:
                  roles: [{name: extractor, model: m}]
                  pipeline:
                    - role: extractor
                      inputs: {prompt: "give JSON [mock:invalid]"}
                      outputSchema: '{"type":"object","required":["title"]}'
                      validate: {maxRetries: 1}
                """);
        try (ArkTerminal terminal = ArkTerminal.start(80, 24, Map.of(), "run", file.toString(), "--provider", "mock", "--watch")) {
            List<String> screen = terminal.finalScreen(LONG_ENOUGH);
            assertThat(terminal.exitCode(screen)).isEqualTo(1);
            String text = String.join("\n", screen);
            assertThat(text).contains("extractor: attempt 1 rejected: output is not valid JSON",
                    "extractor: attempt 2 rejected:", "raw reply:", "mock answer to: give JSON [mock:invalid]");
            assertThat(count(screen, "extractor")).isEqualTo(1);
            assertNothingWrapped(terminal, List.of("extractor"));
        }
    }

    @Test
    void theEndOfAWatchedRunIsATimelineThatFitsEightyColumns() throws Exception {
        try (ArkTerminal terminal = ArkTerminal.start(80, 24, Map.of(), "run", "examples/linear.yaml",
                "--provider", "mock", "--watch", "--mock-latency", "300ms")) {
            List<String> screen = terminal.finalScreen(LONG_ENOUGH);
            assertThat(terminal.exitCode(screen)).isZero();
            List<String> all = terminal.everything(false);
            int header = java.util.stream.IntStream.range(0, all.size())
                    .filter(i -> all.get(i).matches("^STEP\\s+START 0\\s+\\S+\\s+TOOK\\s+TOKENS\\s+COST\\s+RETRIES\\s+WAIT$"))
                    .findFirst().orElseThrow(() -> new AssertionError("no timeline in " + all));
            List<String> rows = all.subList(header + 1, header + 4);
            int previousEnd = -1;
            for (int i = 0; i < 3; i++) {
                String step = List.of("researcher", "writer", "editor").get(i);
                String row = rows.get(i);
                assertThat(row).matches("^" + step + "\\s+\\S+ \\|[ ░▒█]+\\|\\s+\\d+ms\\s+\\d+\\s+\\S+\\s+0\\s+\\d+ms$");
                assertThat(TextWidth.width(row)).isLessThan(80);
                // each step's bar starts where the one before it ended: the pipeline's order, seen at a glance
                int start = row.indexOf('█') >= 0 && row.indexOf('░') >= 0 ? Math.min(row.indexOf('█'), row.indexOf('░'))
                        : row.indexOf('█');
                assertThat(start).isGreaterThanOrEqualTo(previousEnd);
                previousEnd = row.lastIndexOf('█');
            }
            // the first step's bar (its wait in the queue, then its work) starts the timeline
            String first = rows.get(0);
            int firstStart = first.indexOf('░') >= 0 ? Math.min(first.indexOf('░'), first.indexOf('█')) : first.indexOf('█');
            assertThat(firstStart).isEqualTo(first.indexOf('|') + 1);
            assertThat(rows.get(2).lastIndexOf('█')).isEqualTo(rows.get(2).lastIndexOf('|') - 1);
            assertNothingWrapped(terminal, List.of("STEP", "researcher", "writer", "editor"));
        }
    }

    @Test
    void aDumbTerminalGetsPlainLines() throws Exception {
        try (ArkTerminal terminal = ArkTerminal.start(80, 24, Map.of("TERM", "dumb"), "run", "examples/linear.yaml",
                "--provider", "mock", "--watch")) {
            List<String> screen = terminal.finalScreen(LONG_ENOUGH);
            assertThat(terminal.exitCode(screen)).isZero();
            // plain mode prints a line per change: each step's Running line stays
            assertThat(screen.stream().filter(l -> l.matches("^researcher\\s+Running\\s+attempt 1$"))).hasSize(1);
            assertThat(screen.stream().filter(l -> l.matches("^researcher\\s+Succeeded.*"))).hasSize(1);
        }
    }
}
