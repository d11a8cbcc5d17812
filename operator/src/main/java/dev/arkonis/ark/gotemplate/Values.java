package dev.arkonis.ark.gotemplate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Template values as Go sees them: null is nil, Boolean bool, String string, Long (and Integer) int, Byte uint8 (a
 * byte of a string), Double float64, Map map[string]interface {}, List []interface {}.
 */
final class Values {
    enum Kind { NIL, BOOL, INT, UINT, FLOAT, STRING, MAP, LIST, OTHER }

    private Values() {
    }

    static Kind kind(Object v) {
        if (v == null) {
            return Kind.NIL;
        }
        if (v instanceof Boolean) {
            return Kind.BOOL;
        }
        if (v instanceof String) {
            return Kind.STRING;
        }
        if (v instanceof Byte) {
            return Kind.UINT;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof BigInteger) {
            return Kind.INT;
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            return Kind.FLOAT;
        }
        if (v instanceof Map<?, ?>) {
            return Kind.MAP;
        }
        if (v instanceof Collection<?>) {
            return Kind.LIST;
        }
        return Kind.OTHER;
    }

    /** Go's type name, as fmt's %T and error messages print it. */
    static String typeName(Object v) {
        return switch (kind(v)) {
            case NIL -> "<nil>";
            case BOOL -> "bool";
            case INT -> "int";
            case UINT -> "uint8";
            case FLOAT -> "float64";
            case STRING -> "string";
            case MAP -> "map[string]interface {}";
            case LIST -> "[]interface {}";
            case OTHER -> v.getClass().getSimpleName();
        };
    }

    static long asLong(Object v) {
        return v instanceof Byte b ? Byte.toUnsignedLong(b) : ((Number) v).longValue();
    }

    static double asDouble(Object v) {
        return ((Number) v).doubleValue();
    }

    /** Go's template truth: false, 0, nil, "" and empty lists and maps are false; everything else is true. */
    static boolean truthy(Object v) {
        return switch (kind(v)) {
            case NIL -> false;
            case BOOL -> (Boolean) v;
            case INT, UINT -> asLong(v) != 0;
            case FLOAT -> asDouble(v) != 0;
            case STRING -> !((String) v).isEmpty();
            case MAP -> !((Map<?, ?>) v).isEmpty();
            case LIST -> !((Collection<?>) v).isEmpty();
            case OTHER -> true;
        };
    }

    static List<?> list(Object v) {
        return v instanceof List<?> l ? l : new ArrayList<>((Collection<?>) v);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object v) {
        return (Map<String, Object>) v;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Go compares strings byte by byte in UTF-8, which is code point order. */
    static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Map keys in the order Go's fmt and range visit them. */
    static List<String> sortedKeys(Map<?, ?> map) {
        List<String> keys = new ArrayList<>();
        map.keySet().forEach(k -> keys.add(String.valueOf(k)));
        keys.sort(Values::compareStrings);
        return keys;
    }

    /** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /** unicode.IsSpace, which strings.TrimSpace trims. */
    static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }
}
