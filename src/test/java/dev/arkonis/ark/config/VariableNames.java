package dev.arkonis.ark.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variable names production code spells out: every string literal that looks like one (capitals with
 * an underscore, or a single capital word as the first argument of a call on the environment or on settings), and
 * every {@code ${NAME}} of the log configuration. Comments are not code, so names in them do not count.
 */
final class VariableNames {
    /** A name as found: the literal, and where. */
    record Found(String name, String where) {
        boolean isPrefix() {
            return name.endsWith("_");
        }
    }

    private static final Pattern WITH_UNDERSCORE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)+_?|[A-Z][A-Z0-9]*_");
    private static final Pattern WORD = Pattern.compile("[A-Z][A-Z0-9]{2,}");
    /** A single word counts where it is the first argument of a read (or write) of the environment or settings. */
    private static final Pattern READ_CALL = Pattern.compile(
            "(\\b(env|environment|settings)\\.\\w+|getenv|\\bSetting\\.\\w+)\\(\\s*$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

    private VariableNames() {
    }

    static List<Found> inJava(Path root) {
        List<Found> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String source = Files.readString(file);
                literals(source, (literal, line, before) -> {
                    String where = root.relativize(file) + ":" + line;
                    if (WITH_UNDERSCORE.matcher(literal).matches()
                            || WORD.matcher(literal).matches() && READ_CALL.matcher(before).find()) {
                        found.add(new Found(literal, where));
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    static List<Found> inPlaceholders(Path file) {
        List<Found> found = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = PLACEHOLDER.matcher(lines.get(i));
                while (m.find()) {
                    found.add(new Found(m.group(1), file.getFileName() + ":" + (i + 1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    interface LiteralSink {
        /** @param before the line up to the literal */
        void accept(String literal, int line, String before);
    }

    /** Each string literal of Java source (text blocks included), outside comments and character literals. */
    static void literals(String source, LiteralSink sink) {
        int line = 1;
        int lineStart = 0;
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '\n') {
                line++;
                i++;
                lineStart = i;
            } else if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                line += count(source, i, end);
                lineStart = Math.max(lineStart, source.lastIndexOf('\n', end - 1) + 1);
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                line += count(source, i, end);
                lineStart = Math.max(lineStart, source.lastIndexOf('\n', end - 1) + 1);
                i = end;
            } else if (c == '"' || c == '\'') {
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    if (source.charAt(j) == '\\') {
                        j++;
                    }
                    if (j < n) {
                        text.append(source.charAt(j));
                    }
                    j++;
                }
                if (c == '"') {
                    sink.accept(text.toString(), line, source.substring(lineStart, i));
                }
                i = j + 1;
            } else {
                i++;
            }
        }
    }

    private static int count(String source, int from, int to) {
        int lines = 0;
        for (int k = from; k < to && k < source.length(); k++) {
            if (source.charAt(k) == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
