package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.StepState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchDisplayTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static StepState step(String name, StepPhase phase) {
        return new StepState(name, "r", phase, null, phase == StepPhase.Pending ? 0 : 1, 0, T0,
                phase.isFinished() ? T0.plusMillis(1500) : null, null, phase == StepPhase.Succeeded ? "a fine\nanswer" : null,
                null, phase.isFinished() ? TokenUsage.of(40, 2) : TokenUsage.ZERO);
    }

    @Test
    void onATerminalItRedrawsOneLinePerStepInPlace() {
        StringWriter text = new StringWriter();
        WatchDisplay display = new WatchDisplay(new PrintWriter(text), true,
                List.of(step("research", StepPhase.Pending), step("write", StepPhase.Pending)));
        display.stepChanged(step("research", StepPhase.Succeeded));
        String[] frames = text.toString().split("\u001b\\[2F");
        assertThat(frames).hasSize(2);
        assertThat(frames[1]).isEqualTo("\u001b[2Kresearch  Succeeded  1.5s  42 tokens  \"a fine answer\"\n"
                + "\u001b[2Kwrite     Pending  \n");
    }

    @Test
    void inAPipeItPrintsAPlainLinePerChange() {
        StringWriter text = new StringWriter();
        WatchDisplay display = new WatchDisplay(new PrintWriter(text), false, List.of(step("research", StepPhase.Pending)));
        display.stepChanged(step("research", StepPhase.Running));
        display.stepChanged(step("research", StepPhase.Succeeded));
        assertThat(text.toString()).isEqualTo("research  Running    attempt 1\n"
                + "research  Succeeded  1.5s  42 tokens  \"a fine answer\"\n");
    }
}
