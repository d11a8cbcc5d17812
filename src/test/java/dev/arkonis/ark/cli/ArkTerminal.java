package dev.arkonis.ark.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A real terminal of a fixed size for the packaged jar: a tmux server of our own (its own socket), one window running
 * one command, read back with {@code capture-pane} as a person would see it. Closing kills that server only.
 */
final class ArkTerminal implements AutoCloseable {
    static final String DONE = "[ark exited ";

    private final String socket = "ark-it-" + UUID.randomUUID();
    private final int columns;
    private final int rows;
    private String socketPath;

    private ArkTerminal(int columns, int rows) {
        this.columns = columns;
        this.rows = rows;
    }

    /** Starts {@code ark <args>} (through {@code java -jar}) in a {@code columns x rows} terminal. */
    static ArkTerminal start(int columns, int rows, Map<String, String> env, String... args) throws IOException,
            InterruptedException {
        ArkTerminal terminal = new ArkTerminal(columns, rows);
        StringBuilder command = new StringBuilder("cd ").append(quote(Path.of("").toAbsolutePath().toString())).append(" && ");
        env.forEach((k, v) -> command.append("export ").append(k).append('=').append(quote(v)).append(" && "));
        command.append(quote(ArkProcess.javaBinary())).append(" -jar ").append(quote(ArkProcess.jar().toString()));
        for (String arg : args) {
            command.append(' ').append(quote(arg));
        }
        // the window stays open after ark exits, with its exit code on the last line
        command.append("; echo '").append(DONE).append("'$?']'; sleep 600");
        terminal.tmux("-u", "new-session", "-d", "-x", String.valueOf(columns), "-y", String.valueOf(rows),
                "sh", "-c", command.toString());
        terminal.socketPath = terminal.tmux("display-message", "-p", "#{socket_path}").strip();
        return terminal;
    }

    static boolean available() {
        try {
            return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The screen once ark has exited. */
    List<String> finalScreen(Duration within) {
        return waitFor(screen -> screen.stream().anyMatch(l -> l.startsWith(DONE)), within);
    }

    /** The screen as soon as it satisfies {@code test}. */
    List<String> waitFor(Predicate<List<String>> test, Duration within) {
        List<List<String>> last = new ArrayList<>();
        Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> {
            List<String> screen = screen(false);
            last.clear();
            last.add(screen);
            return test.test(screen);
        });
        return last.get(0);
    }

    /** The exit code shown on the last line once ark has exited. */
    int exitCode(List<String> screen) {
        String line = screen.stream().filter(l -> l.startsWith(DONE)).findFirst().orElseThrow();
        return Integer.parseInt(line.substring(DONE.length(), line.indexOf(']')));
    }

    /** Visible lines; with {@code joined} the lines a terminal wrapped are joined back, as tmux -J does. */
    List<String> screen(boolean joined) throws IOException, InterruptedException {
        return capture(joined, false);
    }

    /** Every line the window showed: what scrolled off the top, then the screen. */
    List<String> everything(boolean joined) throws IOException, InterruptedException {
        return capture(joined, true);
    }

    private List<String> capture(boolean joined, boolean history) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("capture-pane", "-p"));
        if (joined) {
            args.add("-J");
        }
        if (history) {
            args.addAll(List.of("-S", "-"));
        }
        String text = tmux(args.toArray(String[]::new));
        List<String> lines = new ArrayList<>(text.lines().map(String::stripTrailing).toList());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** Types {@code text} and Enter, as a person at the terminal would. */
    void typeLine(String text) throws IOException, InterruptedException {
        if (!text.isEmpty()) {
            tmux("send-keys", "-l", text);
        }
        tmux("send-keys", "Enter");
    }

    int columns() {
        return columns;
    }

    int rows() {
        return rows;
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("TMUX");
        builder.environment().put("TERM", "xterm-256color");
        builder.environment().keySet().removeIf(k -> k.endsWith("_API_KEY") || k.endsWith("_BASE_URL"));
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            tmux("kill-server");
        } catch (IOException alreadyGone) {
            // the server ends by itself once its window is closed
        }
        if (socketPath != null && !socketPath.isEmpty()) {
            java.nio.file.Files.deleteIfExists(Path.of(socketPath));
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
