package dev.arkonis.ark.gotemplate;

import java.util.List;
import java.util.Map;

/** Go's fmt.Sprint, Sprintln and Sprintf on template values: verbs, flags, width, precision and the %!verb errors. */
final class GoFmt {
    private static final String LOWER = "0123456789abcdefx";
    private static final String UPPER = "0123456789ABCDEFX";

    private final StringBuilder buf = new StringBuilder();
    // fmt's flags, reset before each verb
    private boolean widPresent;
    private boolean precPresent;
    private boolean minus;
    private boolean plus;
    private boolean sharp;
    private boolean space;
    private boolean zero;
    private boolean plusV;
    private boolean sharpV;
    private int wid;
    private int prec;

    private GoFmt() {
    }

    static String sprint(List<Object> args) {
        GoFmt p = new GoFmt();
        boolean prevString = false;
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            boolean isString = arg instanceof String;
            if (i > 0 && !isString && !prevString) {
                p.buf.append(' ');
            }
            p.printArg(arg, 'v');
            prevString = isString;
        }
        return p.buf.toString();
    }

    static String sprintln(List<Object> args) {
        GoFmt p = new GoFmt();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                p.buf.append(' ');
            }
            p.printArg(args.get(i), 'v');
        }
        return p.buf.append('\n').toString();
    }

    /** A value as an action prints it ({@code fmt.Fprint}); a top-level nil is "<no value>". */
    static String print(Object value) {
        if (value == null) {
            return "<no value>";
        }
        if (value instanceof String s) {
            return s;
        }
        GoFmt p = new GoFmt();
        p.printArg(value, 'v');
        return p.buf.toString();
    }

    static String sprintf(String format, List<Object> a) {
        GoFmt p = new GoFmt();
        p.doPrintf(format, a);
        return p.buf.toString();
    }

    private void clearFlags() {
        widPresent = precPresent = minus = plus = sharp = space = zero = plusV = sharpV = false;
        wid = prec = 0;
    }

    private void doPrintf(String format, List<Object> a) {
        int end = format.length();
        int argNum = 0;
        boolean afterIndex;
        boolean reordered = false;
        formatLoop:
        for (int i = 0; i < end; ) {
            boolean goodArgNum = true;
            int lasti = i;
            while (i < end && format.charAt(i) != '%') {
                i++;
            }
            buf.append(format, lasti, i);
            if (i >= end) {
                break;
            }
            i++;
            clearFlags();
            simple:
            for (; i < end; i++) {
                char c = format.charAt(i);
                switch (c) {
                    case '#' -> sharp = true;
                    case '0' -> zero = true;
                    case '+' -> plus = true;
                    case '-' -> minus = true;
                    case ' ' -> space = true;
                    default -> {
                        if ('a' <= c && c <= 'z' && argNum < a.size()) {
                            if (c == 'v') {
                                sharpV = sharp;
                                sharp = false;
                                plusV = plus;
                                plus = false;
                            }
                            printArg(a.get(argNum), c);
                            argNum++;
                            i++;
                            continue formatLoop;
                        }
                        break simple;
                    }
                }
            }
            ArgIndex index = argNumber(argNum, format, i, a.size());
            reordered |= index.reordered();
            goodArgNum &= !index.bad();
            argNum = index.argNum();
            i = index.next();
            afterIndex = index.afterIndex();
            if (i < end && format.charAt(i) == '*') {
                i++;
                Integer w = intFromArg(a, argNum);
                argNum++;
                widPresent = w != null;
                wid = w == null ? 0 : w;
                if (!widPresent) {
                    buf.append("%!(BADWIDTH)");
                }
                if (wid < 0) {
                    wid = -wid;
                    minus = true;
                    zero = false;
                }
                afterIndex = false;
            } else {
                int start = i;
                i = parseNum(format, i, end);
                widPresent = i > start;
                wid = widPresent ? Integer.parseInt(format.substring(start, i)) : 0;
                if (afterIndex && widPresent) {
                    goodArgNum = false;
                }
            }
            if (i + 1 < end && format.charAt(i) == '.') {
                i++;
                if (afterIndex) {
                    goodArgNum = false;
                }
                index = argNumber(argNum, format, i, a.size());
                reordered |= index.reordered();
                goodArgNum &= !index.bad();
                argNum = index.argNum();
                i = index.next();
                afterIndex = index.afterIndex();
                if (i < end && format.charAt(i) == '*') {
                    i++;
                    Integer pr = intFromArg(a, argNum);
                    argNum++;
                    precPresent = pr != null;
                    prec = pr == null ? 0 : pr;
                    if (prec < 0) {
                        prec = 0;
                        precPresent = false;
                    }
                    if (!precPresent) {
                        buf.append("%!(BADPREC)");
                    }
                    afterIndex = false;
                } else {
                    int start = i;
                    i = parseNum(format, i, end);
                    prec = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
                    precPresent = true;
                }
            }
            if (!afterIndex) {
                index = argNumber(argNum, format, i, a.size());
                reordered |= index.reordered();
                goodArgNum &= !index.bad();
                argNum = index.argNum();
                i = index.next();
            }
            if (i >= end) {
                buf.append("%!(NOVERB)");
                break;
            }
            int verb = format.codePointAt(i);
            i += Character.charCount(verb);
            if (verb == '%') {
                buf.append('%');
            } else if (!goodArgNum) {
                buf.append("%!").appendCodePoint(verb).append("(BADINDEX)");
            } else if (argNum >= a.size()) {
                buf.append("%!").appendCodePoint(verb).append("(MISSING)");
            } else {
                if (verb == 'v') {
                    sharpV = sharp;
                    sharp = false;
                    plusV = plus;
                    plus = false;
                }
                printArg(a.get(argNum), verb);
                argNum++;
            }
        }
        if (!reordered && argNum < a.size()) {
            clearFlags();
            buf.append("%!(EXTRA ");
            for (int i = argNum; i < a.size(); i++) {
                if (i > argNum) {
                    buf.append(", ");
                }
                Object arg = a.get(i);
                if (arg == null) {
                    buf.append("<nil>");
                } else {
                    buf.append(Values.typeName(arg)).append('=');
                    printArg(arg, 'v');
                }
            }
            buf.append(')');
        }
    }

    private static int parseNum(String s, int i, int end) {
        while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** An explicit argument index "[n]": {new argNum, new i, afterIndex, reordered, bad}. */
    /**
     * An explicit argument index ({@code [n]}) read at a position, as Go's fmt reads it.
     *
     * @param argNum     the argument to use next
     * @param next       the position after the index
     * @param afterIndex an index was read and is valid
     * @param reordered  the format had an index, valid or not
     * @param bad        the index was malformed or out of range
     */
    private record ArgIndex(int argNum, int next, boolean afterIndex, boolean reordered, boolean bad) {
    }

    private static ArgIndex argNumber(int argNum, String format, int i, int numArgs) {
        if (format.length() <= i || format.charAt(i) != '[') {
            return new ArgIndex(argNum, i, false, false, false);
        }
        int close = format.indexOf(']', i + 1);
        if (close < 0 || format.length() - i < 3) {
            return new ArgIndex(argNum, i + 1, false, true, true);
        }
        String digits = format.substring(i + 1, close);
        boolean ok = !digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9') && digits.length() < 8;
        int index = ok ? Integer.parseInt(digits) - 1 : -1;
        if (ok && index >= 0 && index < numArgs) {
            return new ArgIndex(index, close + 1, true, true, false);
        }
        return new ArgIndex(argNum, close + 1, ok, true, true);
    }

    private static Integer intFromArg(List<Object> a, int argNum) {
        if (argNum >= a.size()) {
            return null;
        }
        Object v = a.get(argNum);
        Values.Kind kind = Values.kind(v);
        if (kind != Values.Kind.INT && kind != Values.Kind.UINT) {
            return null;
        }
        long n = Values.asLong(v);
        return n > 1_000_000 || n < -1_000_000 ? null : (int) n;
    }

    // ---- printing one argument

    private void printArg(Object arg, int verb) {
        if (arg == null) {
            if (verb == 'T' || verb == 'v') {
                padString("<nil>");
            } else {
                badVerb(verb, null);
            }
            return;
        }
        if (verb == 'T') {
            fmtS(Values.typeName(arg));
            return;
        }
        printValue(arg, verb, 0);
    }

    private void printValue(Object value, int verb, int depth) {
        switch (Values.kind(value)) {
            case NIL -> {
                if (sharpV) {
                    buf.append("interface {}(nil)");
                } else if (verb == 'v') {
                    buf.append("<nil>");
                } else {
                    badVerb(verb, null);
                }
            }
            case BOOL -> {
                if (verb == 't' || verb == 'v') {
                    padString(value.toString());
                } else {
                    badVerb(verb, value);
                }
            }
            case INT -> fmtInteger(Values.asLong(value), true, verb, value);
            case UINT -> fmtInteger(Values.asLong(value), false, verb, value);
            case FLOAT -> fmtFloat(Values.asDouble(value), verb, value);
            case STRING -> fmtString((String) value, verb, value);
            case MAP -> {
                Map<String, Object> map = Values.map(value);
                buf.append(sharpV ? "map[string]interface {}{" : "map[");
                boolean first = true;
                for (String key : Values.sortedKeys(map)) {
                    if (!first) {
                        buf.append(sharpV ? ", " : " ");
                    }
                    first = false;
                    printValue(key, verb, depth + 1);
                    buf.append(':');
                    printValue(map.get(key), verb, depth + 1);
                }
                buf.append(sharpV ? '}' : ']');
            }
            case LIST -> {
                buf.append(sharpV ? "[]interface {}{" : "[");
                boolean first = true;
                for (Object element : Values.list(value)) {
                    if (!first) {
                        buf.append(sharpV ? ", " : " ");
                    }
                    first = false;
                    printValue(element, verb, depth + 1);
                }
                buf.append(sharpV ? '}' : ']');
            }
            case OTHER -> buf.append('?').append(Values.typeName(value)).append('?');
        }
    }

    private void badVerb(int verb, Object value) {
        buf.append("%!").appendCodePoint(verb).append('(');
        if (value == null) {
            buf.append("<nil>");
        } else {
            buf.append(Values.typeName(value)).append('=');
            printValue(value, 'v', 0);
        }
        buf.append(')');
    }

    private void fmtInteger(long v, boolean signed, int verb, Object original) {
        switch (verb) {
            case 'v' -> {
                if (sharpV && !signed) {
                    boolean old = sharp;
                    sharp = true;
                    integer(v, 16, false, 'v', LOWER);
                    sharp = old;
                } else {
                    integer(v, 10, signed, verb, LOWER);
                }
            }
            case 'd' -> integer(v, 10, signed, verb, LOWER);
            case 'b' -> integer(v, 2, signed, verb, LOWER);
            case 'o', 'O' -> integer(v, 8, signed, verb, LOWER);
            case 'x' -> integer(v, 16, signed, verb, LOWER);
            case 'X' -> integer(v, 16, signed, verb, UPPER);
            case 'c' -> padString(new String(Character.toChars(validRune(v))));
            case 'q' -> padString(GoQuote.quoteRune(validRune(v), plus));
            case 'U' -> unicode(v);
            default -> badVerb(verb, original);
        }
    }

    private static int validRune(long v) {
        return v < 0 || v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF) ? 0xFFFD : (int) v;
    }

    private void integer(long u, int base, boolean signed, int verb, String digits) {
        boolean negative = signed && u < 0;
        java.math.BigInteger magnitude = java.math.BigInteger.valueOf(u);
        if (!signed && u < 0) {
            magnitude = magnitude.add(java.math.BigInteger.ONE.shiftLeft(64));
        }
        magnitude = magnitude.abs();
        int precision = 0;
        if (precPresent) {
            precision = prec;
            if (precision == 0 && u == 0) {
                boolean oldZero = zero;
                zero = false;
                writePadding(wid);
                zero = oldZero;
                return;
            }
        } else if (zero && !minus && widPresent) {
            precision = wid;
            if (negative || plus || space) {
                precision--;
            }
        }
        String number = magnitude.toString(base);
        if (digits == UPPER) {
            number = number.toUpperCase(java.util.Locale.ROOT);
        }
        StringBuilder out = new StringBuilder();
        for (int i = number.length(); i < precision; i++) {
            out.append('0');
        }
        out.append(number);
        if (sharp) {
            switch (base) {
                case 2 -> out.insert(0, "0b");
                case 8 -> {
                    if (out.charAt(0) != '0') {
                        out.insert(0, '0');
                    }
                }
                case 16 -> out.insert(0, "0" + digits.charAt(16));
                default -> {
                }
            }
        }
        if (verb == 'O') {
            out.insert(0, "0o");
        }
        if (negative) {
            out.insert(0, '-');
        } else if (plus) {
            out.insert(0, '+');
        } else if (space) {
            out.insert(0, ' ');
        }
        boolean oldZero = zero;
        zero = false;
        padString(out.toString());
        zero = oldZero;
    }

    private void unicode(long u) {
        int precision = precPresent && prec > 4 ? prec : 4;
        String hex = Long.toHexString(u).toUpperCase(java.util.Locale.ROOT);
        StringBuilder out = new StringBuilder("U+");
        for (int i = hex.length(); i < precision; i++) {
            out.append('0');
        }
        out.append(hex);
        if (sharp && u >= 0 && u <= Character.MAX_CODE_POINT && Values.isPrint((int) u)) {
            out.append(" '").appendCodePoint((int) u).append('\'');
        }
        boolean oldZero = zero;
        zero = false;
        padString(out.toString());
        zero = oldZero;
    }

    private void fmtFloat(double v, int verb, Object original) {
        switch (verb) {
            case 'v' -> floating(v, 'g', -1);
            case 'b', 'g', 'G', 'x', 'X' -> floating(v, (char) verb, -1);
            case 'f', 'e', 'E' -> floating(v, (char) verb, 6);
            case 'F' -> floating(v, 'f', 6);
            default -> badVerb(verb, original);
        }
    }

    private void floating(double v, char verb, int precision) {
        if (precPresent) {
            precision = prec;
        }
        StringBuilder num = new StringBuilder(GoFloats.format(v, verb, precision));
        if (num.charAt(0) != '-' && num.charAt(0) != '+') {
            num.insert(0, '+');
        }
        if (space && num.charAt(0) == '+' && !plus) {
            num.setCharAt(0, ' ');
        }
        if (num.charAt(1) == 'I' || num.charAt(1) == 'N') {
            boolean oldZero = zero;
            zero = false;
            if (num.charAt(1) == 'N' && !space && !plus) {
                num.deleteCharAt(0);
            }
            padString(num.toString());
            zero = oldZero;
            return;
        }
        if (sharp && verb != 'b') {
            sharpFloat(num, verb, precision);
        }
        if (plus || num.charAt(0) != '+') {
            if (zero && !minus && widPresent && wid > num.length()) {
                buf.append(num.charAt(0));
                writePadding(wid - num.length());
                buf.append(num, 1, num.length());
                return;
            }
            padString(num.toString());
            return;
        }
        padString(num.substring(1));
    }

    /** The # flag keeps a decimal point and, for %g, the trailing zeros. */
    private static void sharpFloat(StringBuilder num, char verb, int precision) {
        int digits = 0;
        if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x') {
            digits = precision == -1 ? 6 : precision;
        }
        String tail = "";
        boolean hasPoint = false;
        boolean sawNonzero = false;
        for (int i = 1; i < num.length(); i++) {
            char c = num.charAt(i);
            if (c == '.') {
                hasPoint = true;
            } else if (c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X')) {
                tail = num.substring(i);
                num.setLength(i);
                break;
            } else {
                if (c != '0') {
                    sawNonzero = true;
                }
                if (sawNonzero) {
                    digits--;
                }
            }
        }
        if (!hasPoint) {
            if (num.length() == 2 && num.charAt(1) == '0') {
                digits--;
            }
            num.append('.');
        }
        while (digits-- > 0) {
            num.append('0');
        }
        num.append(tail);
    }

    private void fmtString(String s, int verb, Object original) {
        switch (verb) {
            case 'v' -> {
                if (sharpV) {
                    fmtQ(s);
                } else {
                    fmtS(s);
                }
            }
            case 's' -> fmtS(s);
            case 'x' -> fmtSx(s, LOWER);
            case 'X' -> fmtSx(s, UPPER);
            case 'q' -> fmtQ(s);
            default -> badVerb(verb, original);
        }
    }

    private void fmtS(String s) {
        padString(truncate(s));
    }

    private String truncate(String s) {
        if (precPresent && s.codePointCount(0, s.length()) > prec) {
            return s.substring(0, s.offsetByCodePoints(0, prec));
        }
        return s;
    }

    private void fmtQ(String s) {
        s = truncate(s);
        if (sharp && GoQuote.canBackquote(s)) {
            padString("`" + s + "`");
            return;
        }
        padString(GoQuote.quote(s, plus));
    }

    private void fmtSx(String s, String digits) {
        byte[] b = Values.utf8(s);
        int length = precPresent && prec < b.length ? prec : b.length;
        int width = 2 * length;
        if (width > 0) {
            if (space) {
                if (sharp) {
                    width *= 2;
                }
                width += length - 1;
            } else if (sharp) {
                width += 2;
            }
        } else {
            if (widPresent) {
                writePadding(wid);
            }
            return;
        }
        if (widPresent && wid > width && !minus) {
            writePadding(wid - width);
        }
        if (sharp) {
            buf.append('0').append(digits.charAt(16));
        }
        for (int i = 0; i < length; i++) {
            if (space && i > 0) {
                buf.append(' ');
                if (sharp) {
                    buf.append('0').append(digits.charAt(16));
                }
            }
            int c = b[i] & 0xFF;
            buf.append(digits.charAt(c >> 4)).append(digits.charAt(c & 0xF));
        }
        if (widPresent && wid > width && minus) {
            writePadding(wid - width);
        }
    }

    private void writePadding(int n) {
        char pad = zero && !minus ? '0' : ' ';
        for (int i = 0; i < n; i++) {
            buf.append(pad);
        }
    }

    /** Pads to the width, counting runes as Go does. */
    private void padString(String s) {
        if (!widPresent || wid == 0) {
            buf.append(s);
            return;
        }
        int width = wid - s.codePointCount(0, s.length());
        if (!minus) {
            writePadding(width);
            buf.append(s);
        } else {
            buf.append(s);
            writePadding(width);
        }
    }
}
