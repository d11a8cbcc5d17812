package dev.arkonis.ark.config;

import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/** A process's settings as the README shows them: a Markdown table, one row per variable. */
public final class SettingsTable {
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");

    private SettingsTable() {
    }

    public static String markdown(ProcessSettings process) {
        StringJoiner table = new StringJoiner("\n", "", "\n");
        table.add("| variable | value | default | set by | meaning |");
        table.add("|---|---|---|---|---|");
        for (Setting<?> s : process.documented()) {
            table.add("| `" + s.name() + "` | " + cell(s.value()) + " | " + cell(s.shown()) + " | "
                    + cell(setBy(s)) + " | " + cell(s.meaning()) + " |");
        }
        return table.toString();
    }

    /** Who sets it: the chart value, else whoever the declaration names, else "" (the user). */
    public static String setBy(Setting<?> setting) {
        List<String> parts = new java.util.ArrayList<>();
        setting.chartValue().ifPresent(v -> parts.add("chart `" + v + "`"));
        if (!setting.setBy().isEmpty()) {
            parts.add(setting.setBy());
        }
        return String.join("; ", parts);
    }

    /** Markdown as plain text, for a terminal: no code marks, links as their text. */
    public static String plain(String markdown) {
        return LINK.matcher(markdown).replaceAll("$1").replace("`", "");
    }

    private static String cell(String markdown) {
        return markdown.replace("|", "\\|").replace("\n", " ");
    }
}
