package dev.arkonis.ark.gotemplate;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Go's rules for the constants of a template: strconv.Unquote for strings and characters, ParseInt/ParseFloat. */
final class GoLiterals {
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Pattern DECIMAL_FLOAT = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern HEX_FLOAT = Pattern.compile(
            "[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?[0-9]+");

    private GoLiterals() {
    }

    /** What a number constant is as a value (as Go's idealConstant decides); null when it is a uint past int. */
    static Object number(String text, boolean charConstant) throws NumberFormatException {
        if (charConstant) {
            int[] rune = unquoteChar(text, 1, '\'');
            if (rune[1] != text.length() - 1 || text.charAt(text.length() - 1) != '\'') {
                throw new NumberFormatException("malformed character constant: " + text);
            }
            return (long) rune[0];
        }
        if (isPlainDecimal(text)) {
            return Long.parseLong(text);
        }
        if (text.endsWith("i")) {
            throw new NumberFormatException("complex numbers are not supported: " + text);
        }
        BigInteger asUint = parseInteger(text, false);
        BigInteger asInt = parseInteger(text, true);
        boolean isInt = asInt != null;
        boolean isUint = asUint != null;
        Double asFloat = null;
        if (isInt) {
            asFloat = asInt.doubleValue();
        } else if (isUint) {
            asFloat = asUint.doubleValue();
        } else {
            Double f = parseFloat(text);
            if (f != null) {
                if (!containsAny(text, ".eEpP")) {
                    throw new NumberFormatException("integer overflow: \"" + text + "\"");
                }
                asFloat = f;
                if (f == Math.rint(f) && Math.abs(f) < 9.223372036854775807E18) {
                    isInt = true;
                    asInt = BigInteger.valueOf((long) (double) f);
                }
            }
        }
        if (!isInt && !isUint && asFloat == null) {
            throw new NumberFormatException("illegal number syntax: \"" + text + "\"");
        }
        boolean hexInt = text.length() > 2 && text.charAt(0) == '0' && (text.charAt(1) == 'x' || text.charAt(1) == 'X')
                && !containsAny(text, "pP");
        if (asFloat != null && !hexInt && containsAny(text, ".eEpP")) {
            return asFloat;
        }
        if (isInt) {
            return asInt.longValueExact();
        }
        return null;
    }

    /** Digits (with an optional sign) that fit a long and are not octal: the common case, read directly. */
    private static boolean isPlainDecimal(String text) {
        int start = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        int length = text.length() - start;
        if (length == 0 || length > 18 || (length > 1 && text.charAt(start) == '0')) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** strconv.ParseInt / ParseUint with base 0: prefixes 0x 0o 0b and legacy 0 octal, underscores between digits. */
    private static BigInteger parseInteger(String s, boolean signed) {
        if (s.isEmpty()) {
            return null;
        }
        String body = s;
        boolean negative = false;
        if (signed && (body.charAt(0) == '+' || body.charAt(0) == '-')) {
            negative = body.charAt(0) == '-';
            body = body.substring(1);
        }
        if (body.isEmpty()) {
            return null;
        }
        int base = 10;
        if (body.charAt(0) == '0') {
            char second = body.length() >= 3 ? Character.toLowerCase(body.charAt(1)) : 0;
            if (second == 'b' || second == 'o' || second == 'x') {
                base = second == 'b' ? 2 : second == 'o' ? 8 : 16;
                body = body.substring(2);
            } else {
                base = 8;
                body = body.substring(1);
            }
        }
        if (body.indexOf('_') >= 0) {
            if (!underscoreOk(s)) {
                return null;
            }
            body = body.replace("_", "");
        }
        if (body.isEmpty()) {
            return base == 8 && !s.endsWith("_") ? BigInteger.ZERO : null;
        }
        for (int i = 0; i < body.length(); i++) {
            if (Character.digit(body.charAt(i), base) < 0) {
                return null;
            }
        }
        BigInteger value = new BigInteger(body, base);
        if (negative) {
            value = value.negate();
        }
        if (signed ? value.bitLength() > 63 : value.signum() < 0 || value.compareTo(MAX_UINT64) > 0) {
            return null;
        }
        return value;
    }

    /** strconv.ParseFloat: decimal, or hexadecimal with a p exponent; null when invalid or out of range. */
    private static Double parseFloat(String s) {
        String body = s;
        if (body.indexOf('_') >= 0) {
            if (!underscoreOk(s)) {
                return null;
            }
            body = body.replace("_", "");
        }
        if (!DECIMAL_FLOAT.matcher(body).matches() && !HEX_FLOAT.matcher(body).matches()) {
            return null;
        }
        double d = Double.parseDouble(body);
        return Double.isInfinite(d) ? null : d;
    }

    /** Underscores only between digits, or between a base prefix and a digit. */
    private static boolean underscoreOk(String s) {
        char saw = '^';
        int i = 0;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            s = s.substring(1);
        }
        boolean hex = false;
        if (s.length() >= 2 && s.charAt(0) == '0' && "box".indexOf(Character.toLowerCase(s.charAt(1))) >= 0) {
            i = 2;
            saw = '0';
            hex = Character.toLowerCase(s.charAt(1)) == 'x';
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            char lower = Character.toLowerCase(c);
            if ((c >= '0' && c <= '9') || (hex && lower >= 'a' && lower <= 'f')) {
                saw = '0';
                continue;
            }
            if (c == '_') {
                if (saw != '0') {
                    return false;
                }
                saw = '_';
                continue;
            }
            if (saw == '_') {
                return false;
            }
            saw = '!';
        }
        return saw != '_';
    }

    private static boolean containsAny(String s, String chars) {
        for (int i = 0; i < chars.length(); i++) {
            if (s.indexOf(chars.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** strconv.Unquote of a "double-quoted" or `raw` string constant. */
    static String unquote(String quoted) throws NumberFormatException {
        if (quoted.charAt(0) == '`') {
            return quoted.substring(1, quoted.length() - 1).replace("\r", "");
        }
        if (quoted.indexOf('\\') < 0) {
            return quoted.substring(1, quoted.length() - 1);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 1;
        int end = quoted.length() - 1;
        while (i < end) {
            int[] rune = unquoteChar(quoted, i, '"');
            if (rune[0] < 0) {
                bytes.write(-rune[0] - 1); // a byte from \x or an octal escape
            } else {
                bytes.writeBytes(new String(Character.toChars(rune[0])).getBytes(StandardCharsets.UTF_8));
            }
            i = rune[1];
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * One character of a quoted constant at {@code i}: {code point, next index}; a byte escape (\x, octal) is
     * returned as {-(byte+1), next index}, since it stands for a byte rather than a character.
     */
    private static int[] unquoteChar(String s, int i, char quote) throws NumberFormatException {
        int c = s.codePointAt(i);
        if (c == quote && quote == '\'') {
            throw new NumberFormatException("invalid syntax: " + s);
        }
        if (c != '\\') {
            return new int[] {c, i + Character.charCount(c)};
        }
        if (i + 1 >= s.length()) {
            throw new NumberFormatException("invalid syntax: " + s);
        }
        char e = s.charAt(i + 1);
        int next = i + 2;
        switch (e) {
            case 'a' -> {
                return new int[] {7, next};
            }
            case 'b' -> {
                return new int[] {'\b', next};
            }
            case 'f' -> {
                return new int[] {'\f', next};
            }
            case 'n' -> {
                return new int[] {'\n', next};
            }
            case 'r' -> {
                return new int[] {'\r', next};
            }
            case 't' -> {
                return new int[] {'\t', next};
            }
            case 'v' -> {
                return new int[] {0x0B, next};
            }
            case '\\' -> {
                return new int[] {'\\', next};
            }
            case 'x', 'u', 'U' -> {
                int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                int value = hex(s, next, digits);
                if (e == 'x') {
                    return new int[] {quote == '\'' ? value : -(value + 1), next + digits};
                }
                if (value > Character.MAX_CODE_POINT || (value >= 0xD800 && value <= 0xDFFF)) {
                    throw new NumberFormatException("invalid syntax: " + s);
                }
                return new int[] {value, next + digits};
            }
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                if (next + 2 > s.length()) {
                    throw new NumberFormatException("invalid syntax: " + s);
                }
                int value = 0;
                for (int j = i + 1; j < i + 4; j++) {
                    int d = s.charAt(j) - '0';
                    if (d < 0 || d > 7) {
                        throw new NumberFormatException("invalid syntax: " + s);
                    }
                    value = value * 8 + d;
                }
                if (value > 255) {
                    throw new NumberFormatException("invalid syntax: " + s);
                }
                return new int[] {quote == '\'' ? value : -(value + 1), i + 4};
            }
            default -> {
                if (e == quote) {
                    return new int[] {e, next};
                }
                throw new NumberFormatException("invalid syntax: " + s);
            }
        }
    }

    private static int hex(String s, int from, int digits) throws NumberFormatException {
        if (from + digits > s.length()) {
            throw new NumberFormatException("invalid syntax: " + s);
        }
        int value = 0;
        for (int j = from; j < from + digits; j++) {
            int d = Character.digit(s.charAt(j), 16);
            if (d < 0) {
                throw new NumberFormatException("invalid syntax: " + s);
            }
            value = value * 16 + d;
        }
        return value;
    }
}
