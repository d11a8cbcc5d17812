package dev.arkonis.ark.gotemplate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The functions a template may call: Go's builtins, and ark's additions (the ones teams written for the original ark
 * call), defined as the Go generator of the conformance corpus defines them ({@code src/test/gotemplate/functions.go}).
 */
final class Functions {
    /** How an argument reaches a function: any value, any value but nil literals refused, or a string only. */
    enum Param { VALUE, ANY, STRING }

    /** Fixed parameters, then the type of the variadic rest (null when not variadic). */
    record Signature(List<Param> fixed, Param variadic) {
    }

    @FunctionalInterface
    interface Body {
        Object call(List<Object> args) throws Failure;
    }

    /** A function's own error; the evaluator reports it as "error calling NAME: message", as Go does. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    record Function(Signature signature, Body body) {
    }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Map<String, Function> ALL = table();

    private Functions() {
    }

    static boolean exists(String name) {
        return ALL.containsKey(name);
    }

    static Function get(String name) {
        return ALL.get(name);
    }

    static Set<String> names() {
        return Collections.unmodifiableSet(ALL.keySet());
    }

    private static Map<String, Function> table() {
        Map<String, Function> f = new LinkedHashMap<>();
        Signature values = new Signature(List.of(Param.VALUE), Param.VALUE);
        Signature twoValues = new Signature(List.of(Param.VALUE, Param.VALUE), null);
        Signature oneValue = new Signature(List.of(Param.VALUE), null);
        Signature anything = new Signature(List.of(), Param.ANY);
        Signature oneAny = new Signature(List.of(Param.ANY), null);
        Signature oneString = new Signature(List.of(Param.STRING), null);
        // and, or and call are evaluated by the evaluator itself (and/or stop at the first deciding argument)
        f.put("and", new Function(values, args -> null));
        f.put("or", new Function(values, args -> null));
        f.put("call", new Function(values, args -> null));
        f.put("html", new Function(anything, args -> Escapes.html(Escapes.evalArgs(args))));
        f.put("js", new Function(anything, args -> Escapes.js(Escapes.evalArgs(args))));
        f.put("urlquery", new Function(anything, args -> Escapes.queryEscape(Escapes.evalArgs(args))));
        f.put("index", new Function(values, args -> index(args.get(0), args.subList(1, args.size()))));
        f.put("slice", new Function(values, args -> slice(args.get(0), args.subList(1, args.size()))));
        f.put("len", new Function(oneValue, args -> length(args.get(0))));
        f.put("not", new Function(oneValue, args -> !Values.truthy(args.get(0))));
        f.put("print", new Function(anything, GoFmt::sprint));
        f.put("printf", new Function(new Signature(List.of(Param.STRING), Param.ANY),
                args -> GoFmt.sprintf((String) args.get(0), args.subList(1, args.size()))));
        f.put("println", new Function(anything, GoFmt::sprintln));
        f.put("eq", new Function(values, Functions::eq));
        f.put("ne", new Function(twoValues, args -> !eq(args)));
        f.put("lt", new Function(twoValues, args -> lt(args.get(0), args.get(1))));
        f.put("le", new Function(twoValues, args -> lt(args.get(0), args.get(1)) || eq(args)));
        f.put("gt", new Function(twoValues, args -> !(lt(args.get(0), args.get(1)) || eq(args))));
        f.put("ge", new Function(twoValues, args -> !lt(args.get(0), args.get(1))));
        // ark's additions
        f.put("default", new Function(new Signature(List.of(Param.ANY), Param.ANY), Functions::fallback));
        f.put("int", new Function(oneAny, args -> toInt(args.get(0))));
        f.put("toJson", new Function(oneAny, args -> GoJson.encode(args.get(0))));
        f.put("upper", new Function(oneString, args -> mapCodePoints((String) args.get(0), true)));
        f.put("lower", new Function(oneString, args -> mapCodePoints((String) args.get(0), false)));
        f.put("trim", new Function(oneString, args -> trimSpace((String) args.get(0))));
        return f;
    }

    // ---- Go's builtins

    private static Object index(Object item, List<Object> indexes) throws Failure {
        if (item == null) {
            throw new Failure("index of untyped nil");
        }
        for (Object index : indexes) {
            if (item == null) {
                throw new Failure("index of nil pointer");
            }
            switch (Values.kind(item)) {
                case LIST -> {
                    List<?> list = Values.list(item);
                    item = list.get(indexArg(index, list.size(), true));
                }
                case STRING -> {
                    byte[] bytes = Values.utf8((String) item);
                    item = bytes[indexArg(index, bytes.length, true)];
                }
                case MAP -> {
                    if (index == null) {
                        throw new Failure("value is nil; should be of type string");
                    }
                    if (!(index instanceof String key)) {
                        throw new Failure("value has type " + Values.typeName(index) + "; should be string");
                    }
                    item = Values.map(item).get(key);
                }
                default -> throw new Failure("can't index item of type " + Values.typeName(item));
            }
        }
        return item;
    }

    private static int indexArg(Object index, int cap, boolean element) throws Failure {
        Values.Kind kind = Values.kind(index);
        if (kind == Values.Kind.NIL) {
            throw new Failure("cannot index slice/array with nil");
        }
        if (kind != Values.Kind.INT && kind != Values.Kind.UINT) {
            throw new Failure("cannot index slice/array with type " + Values.typeName(index));
        }
        long x = Values.asLong(index);
        if (x < 0 || x > cap || (element && x == cap)) {
            throw new Failure(element && x == cap ? "reflect: slice index out of range" : "index out of range: " + x);
        }
        return (int) x;
    }

    private static Object slice(Object item, List<Object> indexes) throws Failure {
        if (item == null) {
            throw new Failure("slice of untyped nil");
        }
        if (indexes.size() > 3) {
            throw new Failure("too many slice indexes: " + indexes.size());
        }
        Values.Kind kind = Values.kind(item);
        if (kind == Values.Kind.STRING && indexes.size() == 3) {
            throw new Failure("cannot 3-index slice a string");
        }
        if (kind != Values.Kind.STRING && kind != Values.Kind.LIST) {
            throw new Failure("can't slice item of type " + Values.typeName(item));
        }
        byte[] bytes = kind == Values.Kind.STRING ? Values.utf8((String) item) : null;
        List<?> list = kind == Values.Kind.LIST ? Values.list(item) : null;
        int length = bytes != null ? bytes.length : list.size();
        int[] idx = {0, length, length};
        for (int i = 0; i < indexes.size(); i++) {
            idx[i] = indexArg(indexes.get(i), length, false);
        }
        if (idx[0] > idx[1]) {
            throw new Failure("invalid slice index: " + idx[0] + " > " + idx[1]);
        }
        if (indexes.size() == 3 && idx[1] > idx[2]) {
            throw new Failure("invalid slice index: " + idx[1] + " > " + idx[2]);
        }
        if (bytes != null) {
            return new String(bytes, idx[0], idx[1] - idx[0], StandardCharsets.UTF_8);
        }
        return new ArrayList<>(list.subList(idx[0], idx[1]));
    }

    private static Object length(Object item) throws Failure {
        return switch (Values.kind(item)) {
            case NIL -> throw new Failure("len of nil pointer");
            case STRING -> (long) Values.utf8((String) item).length;
            case LIST -> (long) Values.list(item).size();
            case MAP -> (long) Values.map(item).size();
            default -> throw new Failure("len of type " + Values.typeName(item));
        };
    }

    /** eq arg1 arg2...: true when arg1 equals any of the others; basic kinds only, ints and uints across signs. */
    private static boolean eq(List<Object> args) throws Failure {
        Object a = args.get(0);
        if (args.size() < 2) {
            throw new Failure("missing argument for comparison");
        }
        Values.Kind k1 = comparable(a);
        for (Object b : args.subList(1, args.size())) {
            Values.Kind k2 = comparable(b);
            boolean truth;
            if (k1 != k2) {
                if (integer(k1) && integer(k2)) {
                    truth = Values.asLong(a) == Values.asLong(b) && (Values.asLong(a) >= 0);
                } else if (a != null && b != null) {
                    throw new Failure("incompatible types for comparison: " + Values.typeName(a) + " and "
                            + Values.typeName(b));
                } else {
                    truth = false;
                }
            } else {
                truth = switch (k1) {
                    case BOOL, STRING -> a.equals(b);
                    case INT, UINT -> Values.asLong(a) == Values.asLong(b);
                    case FLOAT -> Values.asDouble(a) == Values.asDouble(b);
                    default -> {
                        if (a == null || b == null) {
                            yield a == b;
                        }
                        throw new Failure("non-comparable type " + GoFmt.print(b) + ": " + Values.typeName(b));
                    }
                };
            }
            if (truth) {
                return true;
            }
        }
        return false;
    }

    private static boolean lt(Object a, Object b) throws Failure {
        Values.Kind k1 = comparable(a);
        Values.Kind k2 = comparable(b);
        if (k1 == Values.Kind.OTHER || k2 == Values.Kind.OTHER) {
            throw new Failure("invalid type for comparison");
        }
        if (k1 != k2) {
            if (integer(k1) && integer(k2)) {
                return Values.asLong(a) < Values.asLong(b);
            }
            throw new Failure("incompatible types for comparison: " + Values.typeName(a) + " and " + Values.typeName(b));
        }
        return switch (k1) {
            case BOOL -> throw new Failure("invalid type for comparison");
            case INT, UINT -> Values.asLong(a) < Values.asLong(b);
            case FLOAT -> Values.asDouble(a) < Values.asDouble(b);
            default -> Values.compareStrings((String) a, (String) b) < 0;
        };
    }

    /** Go's basicKind: bool, int, uint, float or string; nil, maps and lists are not basic (OTHER). */
    private static Values.Kind comparable(Object v) {
        Values.Kind kind = Values.kind(v);
        return switch (kind) {
            case BOOL, INT, UINT, FLOAT, STRING -> kind;
            default -> Values.Kind.OTHER;
        };
    }

    private static boolean integer(Values.Kind kind) {
        return kind == Values.Kind.INT || kind == Values.Kind.UINT;
    }

    // ---- ark's additions

    /** default FALLBACK VALUE: VALUE unless it is empty, else FALLBACK. */
    private static Object fallback(List<Object> args) throws Failure {
        if (args.size() > 2) {
            throw new Failure("default takes a fallback and at most one value, got " + (args.size() - 1) + " values");
        }
        return args.size() == 2 && Values.truthy(args.get(1)) ? args.get(1) : args.get(0);
    }

    /** int VALUE: whole numbers (truncated toward zero) from numbers, decimal numbers written as text, and bools. */
    private static Object toInt(Object v) throws Failure {
        switch (Values.kind(v)) {
            case INT, UINT -> {
                return Values.asLong(v);
            }
            case FLOAT -> {
                return truncate(Values.asDouble(v));
            }
            case BOOL -> {
                return (Boolean) v ? 1L : 0L;
            }
            case STRING -> {
                String s = trimSpace((String) v);
                if (!DECIMAL.matcher(s).matches()) {
                    throw new Failure("int: " + GoQuote.quote((String) v, false) + " is not a number");
                }
                try {
                    return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
                } catch (NumberFormatException e) {
                    double d = Double.parseDouble(s);
                    if (Double.isInfinite(d)) {
                        throw new Failure("int: " + GoQuote.quote((String) v, false) + " is out of range");
                    }
                    return truncate(d);
                }
            }
            default -> throw new Failure("int: cannot convert " + Values.typeName(v));
        }
    }

    private static long truncate(double d) throws Failure {
        if (Double.isNaN(d) || d < -9.223372036854775808E18 || d >= 9.223372036854775808E18) {
            throw new Failure("int: " + GoFloats.format(d, 'g', -1) + " is out of range");
        }
        return new BigDecimal(d).longValue();
    }

    /** strings.ToUpper / ToLower: Unicode's simple case mapping, one code point at a time. */
    private static String mapCodePoints(String s, boolean upper) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> out.appendCodePoint(upper ? Character.toUpperCase(cp) : Character.toLowerCase(cp)));
        return out.toString();
    }

    /** strings.TrimSpace: Unicode white space at both ends. */
    private static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && Values.isSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && Values.isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }
}
