package dev.arkonis.ark.cli.term;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of a VT100 to replay what the live display writes: printable text (by display width), CR, LF
 * (scrolling at the bottom), cursor up/down (clamped, never scrolling), erase line and erase below. What a person
 * would see on a screen of that size.
 */
public final class ScreenModel {
    private final int columns;
    private final int rows;
    private final List<StringBuilder> lines = new ArrayList<>();
    private final List<String> scrolledOff = new ArrayList<>();
    private int row;
    private int column;

    public ScreenModel(int columns, int rows) {
        this.columns = columns;
        this.rows = rows;
        for (int i = 0; i < rows; i++) {
            lines.add(new StringBuilder());
        }
    }

    public ScreenModel feed(String text) {
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c == '\u001b' && i + 1 < text.length() && text.charAt(i + 1) == '[') {
                int end = i + 2;
                while (end < text.length() && !Character.isLetter(text.charAt(end))) {
                    end++;
                }
                String arg = text.substring(i + 2, end);
                control(text.charAt(end), arg.isEmpty() ? 1 : Integer.parseInt(arg));
                i = end + 1;
            } else if (c == '\r') {
                column = 0;
                i++;
            } else if (c == '\n') {
                lineFeed();
                i++;
            } else {
                int cp = text.codePointAt(i);
                int n = Character.charCount(cp);
                // keep combining marks and joiners with the character before them
                int clusterEnd = i + n;
                while (clusterEnd < text.length() && TextWidth.width(text.substring(i, clusterEnd + 1)) == TextWidth.width(text.substring(i, clusterEnd))
                        && text.charAt(clusterEnd) >= 0x300) {
                    clusterEnd++;
                }
                put(text.substring(i, clusterEnd));
                i = clusterEnd;
            }
        }
        return this;
    }

    private void control(char command, int n) {
        switch (command) {
            case 'A' -> row = Math.max(0, row - n);
            case 'B' -> row = Math.min(rows - 1, row + n);
            case 'K' -> lines.set(row, new StringBuilder());
            case 'J' -> {
                lines.set(row, new StringBuilder(cutAt(lines.get(row).toString(), column)));
                for (int r = row + 1; r < rows; r++) {
                    lines.set(r, new StringBuilder());
                }
            }
            default -> throw new IllegalArgumentException("the display wrote an unexpected sequence ESC[" + n + command);
        }
    }

    private void put(String cluster) {
        int width = Math.max(0, TextWidth.width(cluster));
        if (column + width > columns) {
            // a terminal wraps here: the display must never let it
            lineFeed();
            column = 0;
        }
        StringBuilder line = lines.get(row);
        String text = line.toString();
        String before = cutAt(text, column);
        String padded = before + " ".repeat(Math.max(0, column - TextWidth.width(before)));
        String after = dropColumns(text, column + width);
        lines.set(row, new StringBuilder(padded + cluster + after));
        column += width;
    }

    private void lineFeed() {
        if (row == rows - 1) {
            scrolledOff.add(lines.remove(0).toString());
            lines.add(new StringBuilder());
        } else {
            row++;
        }
    }

    private static String cutAt(String text, int columns) {
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int n = Character.charCount(text.codePointAt(i));
            String c = text.substring(i, i + n);
            if (used + TextWidth.width(c) > columns) {
                break;
            }
            out.append(c);
            used += TextWidth.width(c);
            i += n;
        }
        return out.toString();
    }

    private static String dropColumns(String text, int columns) {
        String kept = cutAt(text, columns);
        return text.substring(kept.length());
    }

    /** The screen's lines, trailing blanks removed. */
    public List<String> screen() {
        return lines.stream().map(l -> l.toString().stripTrailing()).toList();
    }

    /** Lines scrolled off the top, then the screen. */
    public List<String> everything() {
        List<String> all = new ArrayList<>(scrolledOff);
        all.addAll(screen());
        return all;
    }
}
