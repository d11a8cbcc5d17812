package dev.arkonis.ark.cli.term;

import java.util.regex.Pattern;
import org.jline.utils.WCWidth;

/**
 * Text as a terminal shows it: width in columns (CJK and emoji take two, combining marks none), cut by grapheme
 * cluster so no character is split, and flattened to one line with every control character gone.
 */
public final class TextWidth {
    public static final String ELLIPSIS = "…";
    // CSI and OSC escape sequences, then any other C0/C1 control character.
    private static final Pattern ESCAPES = Pattern.compile("\u001b\\[[0-?]*[ -/]*[@-~]|\u001b\\][^\u0007\u001b]*(\u0007|\u001b\\\\)?|\u001b.?");
    private static final Pattern BLANKS = Pattern.compile("[\\s\\p{Cc}\\u0085\\u2028\\u2029]+");

    private TextWidth() {
    }

    /** Columns the text takes on a terminal. */
    public static int width(CharSequence text) {
        int width = 0;
        for (int i = 0; i < text.length(); ) {
            width += Math.max(0, WCWidth.wcwidthForGraphemeCluster(text, i));
            i += Math.max(1, WCWidth.charCountForGraphemeCluster(text, i));
        }
        return width;
    }

    /** The text cut to at most {@code columns} columns, ending with "…" when something was cut. */
    public static String cut(String text, int columns) {
        if (columns <= 0) {
            return "";
        }
        if (text.length() <= columns && isAscii(text)) {
            return text;
        }
        if (width(text) <= columns) {
            return text;
        }
        int budget = columns - 1; // room for the ellipsis
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int chars = Math.max(1, WCWidth.charCountForGraphemeCluster(text, i));
            int w = Math.max(0, WCWidth.wcwidthForGraphemeCluster(text, i));
            if (used + w > budget) {
                break;
            }
            out.append(text, i, i + chars);
            used += w;
            i += chars;
        }
        return out.append(ELLIPSIS).toString();
    }

    /** The text padded with spaces to {@code columns} columns (never cut). */
    public static String pad(String text, int columns) {
        int missing = columns - width(text);
        return missing <= 0 ? text : text + " ".repeat(missing);
    }

    /** One line: escape sequences removed, every run of whitespace or control characters made one space. */
    public static String flatten(String text) {
        if (text == null) {
            return "";
        }
        String noEscapes = text.indexOf('\u001b') < 0 ? text : ESCAPES.matcher(text).replaceAll("");
        return BLANKS.matcher(noEscapes).replaceAll(" ").strip();
    }

    /** The text broken at spaces into lines of at most {@code columns} columns (a longer word is cut). */
    public static java.util.List<String> wrap(String text, int columns) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ")) {
                if (line.length() > 0 && width(line) + 1 + width(word) > columns) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                line.append(line.length() > 0 ? " " : "").append(word);
            }
            lines.add(cut(line.toString(), columns));
        }
        return lines;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
