package dev.arkonis.ark.gotemplate;

import java.util.ArrayList;
import java.util.List;

/** The html, js and urlquery builtins, as Go's text/template escapes. */
final class Escapes {
    private static final String HEX = "0123456789ABCDEF";

    private Escapes() {
    }

    /** One string from the arguments: a lone string as it is, else fmt.Sprint of them with nil as "<no value>". */
    static String evalArgs(List<Object> args) {
        if (args.size() == 1 && args.get(0) instanceof String s) {
            return s;
        }
        List<Object> printable = new ArrayList<>(args.size());
        args.forEach(a -> printable.add(a == null ? "<no value>" : a));
        return GoFmt.sprint(printable);
    }

    static String html(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case 0 -> out.append('\uFFFD');
                case '"' -> out.append("&#34;");
                case '\'' -> out.append("&#39;");
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String js(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '<' -> out.append("\\u003C");
                case '>' -> out.append("\\u003E");
                case '&' -> out.append("\\u0026");
                case '=' -> out.append("\\u003D");
                default -> {
                    if (cp < ' ') {
                        out.append("\\u00").append(HEX.charAt(cp >> 4)).append(HEX.charAt(cp & 0xF));
                    } else if (cp < 0x80 || Values.isPrint(cp)) {
                        out.appendCodePoint(cp);
                    } else {
                        out.append(String.format("\\u%04X", cp));
                    }
                }
            }
        });
        return out.toString();
    }

    /** url.QueryEscape: letters, digits and -_.~ stay, a space becomes +, every other byte %XX. */
    static String queryEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : Values.utf8(s)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
            }
        }
        return out.toString();
    }
}
