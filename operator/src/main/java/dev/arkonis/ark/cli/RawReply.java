package dev.arkonis.ark.cli;

import dev.arkonis.ark.cli.term.TextWidth;
import java.util.ArrayList;
import java.util.List;

/** A model's raw reply made safe for a terminal: escape sequences and control characters gone, lines kept. */
final class RawReply {
    private RawReply() {
    }

    /** Every line of the reply, each made printable. */
    static String whole(String reply) {
        if (reply == null || reply.isEmpty()) {
            return "(empty reply)";
        }
        return String.join("\n", reply.lines().map(TextWidth::flatten).toList());
    }

    /**
     * At most {@code maxLines} lines of the reply, each cut to {@code columns}; a last line says how much was left
     * out.
     */
    static List<String> trimmed(String reply, int maxLines, int columns, String indent) {
        List<String> lines = reply == null || reply.isBlank() ? List.of("(empty reply)")
                : reply.strip().lines().map(TextWidth::flatten).toList();
        List<String> shown = new ArrayList<>();
        int room = Math.max(1, columns - TextWidth.width(indent));
        for (int i = 0; i < lines.size() && i < maxLines; i++) {
            shown.add(indent + TextWidth.cut(lines.get(i), room));
        }
        if (lines.size() > maxLines) {
            shown.add(indent + TextWidth.cut("… " + (lines.size() - maxLines) + " more line(s); --verbose or -o json shows the whole reply", room));
        }
        return shown;
    }
}
