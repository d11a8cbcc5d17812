package dev.arkonis.ark.gotemplate;

import java.util.Map;

/** Values as Go's encoding/json Marshal writes them: sorted keys, HTML-safe strings, Go's float format. */
final class GoJson {
    private static final String HEX = "0123456789abcdef";

    private GoJson() {
    }

    static String encode(Object v) {
        StringBuilder out = new StringBuilder();
        write(out, v);
        return out.toString();
    }

    private static void write(StringBuilder out, Object v) {
        switch (Values.kind(v)) {
            case NIL -> out.append("null");
            case BOOL, INT, UINT -> out.append(v instanceof Byte b ? Byte.toUnsignedInt(b) : v);
            case FLOAT -> out.append(GoFloats.json(Values.asDouble(v)));
            case STRING -> string(out, (String) v);
            case MAP -> {
                Map<String, Object> map = Values.map(v);
                out.append('{');
                boolean first = true;
                for (String key : Values.sortedKeys(map)) {
                    out.append(first ? "" : ",");
                    first = false;
                    string(out, key);
                    out.append(':');
                    write(out, map.get(key));
                }
                out.append('}');
            }
            case LIST -> {
                out.append('[');
                boolean first = true;
                for (Object element : Values.list(v)) {
                    out.append(first ? "" : ",");
                    first = false;
                    write(out, element);
                }
                out.append(']');
            }
            case OTHER -> string(out, v.toString());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c == 0x2028 || c == 0x2029) {
                        out.append("\\u").append(Integer.toHexString(c));
                    } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                        out.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
