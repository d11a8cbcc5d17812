package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ark run} asking a person at a real terminal (tmux) to approve a step, with and without the live display. */
class ApprovalTerminalIT {
    private static final Duration LONG_ENOUGH = Duration.ofSeconds(60);

    @BeforeAll
    static void needsTmux() {
        assertThat(ArkTerminal.available()).as("tmux runs the terminal these tests read").isTrue();
    }

    private static boolean shows(List<String> screen, String text) {
        return String.join("\n", screen).contains(text);
    }

    @Test
    void aPersonApprovesWithACommentAndTheRunGoesOn(@TempDir Path cache) throws Exception {
        try (ArkTerminal terminal = ArkTerminal.start(100, 30, Map.of("XDG_CACHE_HOME", cache.toString(), "USER", "dana"),
                "run", "examples/reviewed-post.yaml", "--provider", "mock", "--input", "topic=otters", "--watch")) {
            List<String> asked = terminal.waitFor(s -> shows(s, "approve? [y/N]"), LONG_ENOUGH);
            assertThat(String.join("\n", asked)).contains("step review asks for approval:",
                    "  Publish this post about otters?", "  mock answer to: Write a short post about otters.");
            terminal.typeLine("y");
            terminal.waitFor(s -> shows(s, "comment (optional):"), LONG_ENOUGH);
            terminal.typeLine("ship it");
            List<String> screen = terminal.finalScreen(LONG_ENOUGH);
            assertThat(terminal.exitCode(screen)).isZero();
            String all = String.join("\n", terminal.everything(true));
            assertThat(all).contains("3/3 steps succeeded", "minding this note: ship it")
                    .containsPattern("review\\s+Succeeded.*\"ship it\"");
        }
    }

    @Test
    void anythingButYesRejectsAndTheRunFailsNamingWhoRejected(@TempDir Path cache) throws Exception {
        try (ArkTerminal terminal = ArkTerminal.start(100, 30, Map.of("XDG_CACHE_HOME", cache.toString(), "USER", "dana"),
                "run", "examples/reviewed-post.yaml", "--provider", "mock", "--input", "topic=otters")) {
            terminal.waitFor(s -> shows(s, "approve? [y/N]"), LONG_ENOUGH);
            terminal.typeLine("");
            terminal.waitFor(s -> shows(s, "why (optional):"), LONG_ENOUGH);
            terminal.typeLine("needs sources");
            List<String> screen = terminal.finalScreen(LONG_ENOUGH);
            assertThat(terminal.exitCode(screen)).isEqualTo(1);
            assertThat(String.join("\n", terminal.everything(true))).contains("step review was rejected by dana: needs sources");
        }
    }
}
