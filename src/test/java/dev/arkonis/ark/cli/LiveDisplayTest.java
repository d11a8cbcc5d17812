package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.cli.term.ScreenModel;
import dev.arkonis.ark.cli.term.Terminal;
import dev.arkonis.ark.cli.term.TextWidth;
import dev.arkonis.ark.flow.StepState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveDisplayTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0.plusMillis(2500), ZoneOffset.UTC);

    private static StepState step(String name, StepPhase phase, String output, String message) {
        return new StepState(name, "r", phase, null, phase == StepPhase.Pending ? 0 : 1, 0, T0,
                phase.isFinished() ? T0.plusMillis(1500) : null, null, output, message,
                phase.isFinished() ? TokenUsage.of(40, 2) : TokenUsage.ZERO);
    }

    private static Terminal size(int columns, int rows) {
        return new Terminal(Map.of("COLUMNS", String.valueOf(columns), "LINES", String.valueOf(rows), "TERM", "xterm"));
    }

    /** The screen as a terminal of that size shows it, blank lines left out. */
    private static List<String> screen(String written, int columns, int rows) {
        return new ScreenModel(columns, rows).feed(written).screen().stream().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void rowsAreCutToTheWidthAndMessagesStayOnOneLine() {
        StringWriter text = new StringWriter();
        List<StepState> steps = List.of(step("research", StepPhase.Pending, null, null), step("write", StepPhase.Pending, null, null));
        LiveDisplay display = new LiveDisplay(new PrintWriter(text), size(60, 10), steps, CLOCK, false);
        display.stepChanged(step("research", StepPhase.Succeeded, "a very long answer ".repeat(10), null));
        display.stepChanged(step("write", StepPhase.Failed, null, "openai: 502 bad gateway:\n<html>\n<body>down</body>\n</html>"));
        display.close();

        List<String> rows = screen(text.toString(), 60, 10);
        assertThat(rows).hasSize(2).allSatisfy(r -> assertThat(TextWidth.width(r)).isLessThan(60));
        assertThat(rows.get(0)).startsWith("research  Succeeded  1.5s  42 tokens  \"a very").endsWith("…");
        assertThat(rows.get(1)).startsWith("write     Failed     1.5s  42 tokens  openai: 502");
        assertThat(text.toString()).doesNotContain("\n<html>");
    }

    @Test
    void aChangeRedrawsOnlyItsOwnRow() {
        StringWriter text = new StringWriter();
        List<StepState> steps = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            steps.add(step("s" + i, StepPhase.Pending, null, null));
        }
        LiveDisplay display = new LiveDisplay(new PrintWriter(text), size(80, 24), steps, CLOCK, false);
        display.stepChanged(step("s0", StepPhase.Succeeded, "done", null));
        int afterFirstFrame = count(text.toString(), "\u001b[2K");
        display.stepChanged(step("s5", StepPhase.Succeeded, "done", null));
        display.close();

        assertThat(afterFirstFrame).isEqualTo(8);
        assertThat(count(text.toString(), "\u001b[2K") - afterFirstFrame).isEqualTo(1);
        assertThat(text.toString()).contains("\u001b[3A\r\u001b[2Ks5");
    }

    @Test
    void stepsBeyondTheScreenAreSummarisedOnTheLastRow() {
        StringWriter text = new StringWriter();
        List<StepState> steps = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            steps.add(step("s" + i, StepPhase.Pending, null, null));
        }
        LiveDisplay display = new LiveDisplay(new PrintWriter(text), size(40, 10), steps, CLOCK, false);
        for (int i = 0; i < 60; i++) {
            display.stepChanged(step("s" + i, StepPhase.Succeeded, "ok", null));
        }
        for (int i = 60; i < 72; i++) {
            display.stepChanged(step("s" + i, StepPhase.Running, null, null));
        }
        display.close();

        List<String> rows = screen(text.toString(), 40, 10);
        // 9 rows fit above the cursor's line: 8 steps (the running ones first) and the summary
        assertThat(rows).hasSize(9);
        assertThat(rows.get(8)).isEqualTo("… 1,992 more: 4 running, 1,928 pending…");
        assertThat(rows.subList(0, 8)).allSatisfy(r -> assertThat(r).contains("Running"));
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
