package dev.arkonis.ark.cli.term;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Whether an output stream is a terminal that can be redrawn in place, and how large that terminal is. */
public final class Terminal {
    public static final Size DEFAULT_SIZE = new Size(80, 24);

    /** Columns and rows of a terminal. */
    public record Size(int columns, int rows) {
    }

    private final Map<String, String> env;

    public Terminal(Map<String, String> env) {
        this.env = env;
    }

    /** True when file descriptor {@code fd} (1 stdout, 2 stderr) is a terminal that understands cursor movement. */
    public boolean isLive(int fd) {
        String term = env.get("TERM");
        if (term == null || term.isBlank() || "dumb".equals(term)) {
            return false;
        }
        return isTerminal(fd);
    }

    /** True when standard input is a terminal: there is a person to ask. */
    public boolean isInteractive() {
        return isTerminal(0);
    }

    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.isSymbolicLink(link)) {
            try {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return System.console() != null;
            }
        }
        // Not Linux: the JVM's console exists only when stdin and stdout are terminals.
        return System.console() != null;
    }

    /** COLUMNS and LINES when set, else what the terminal says ({@code stty size}), else 80x24. */
    public Size size() {
        Optional<Integer> columns = positive(env.get("COLUMNS"));
        Optional<Integer> rows = positive(env.get("LINES"));
        if (columns.isPresent() && rows.isPresent()) {
            return new Size(columns.get(), rows.get());
        }
        Size asked = stty().orElse(DEFAULT_SIZE);
        return new Size(columns.orElse(asked.columns()), rows.orElse(asked.rows()));
    }

    private static Optional<Size> stty() {
        try {
            Process process = new ProcessBuilder("stty", "size")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String answer = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!process.waitFor(2, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String[] parts = answer.split("\\s+");
            if (parts.length != 2) {
                return Optional.empty();
            }
            int rows = Integer.parseInt(parts[0]);
            int columns = Integer.parseInt(parts[1]);
            return rows > 0 && columns > 0 ? Optional.of(new Size(columns, rows)) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<Integer> positive(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(value.strip());
            return n > 0 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
