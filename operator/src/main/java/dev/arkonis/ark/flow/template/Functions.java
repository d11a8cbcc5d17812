package dev.arkonis.ark.flow.template;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The functions templates may call (SPEC 2), with Go's (and sprig's, for default) behaviour. */
final class Functions {
    static final Set<String> NAMES = Set.of("default", "printf", "print", "int", "toJson", "upper", "lower", "trim",
            "index", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "len");

    private Functions() {
    }

    static Object call(String name, List<Object> args) throws TemplateException {
        return switch (name) {
            case "default" -> {
                arity(name, args, 1, 2);
                yield args.size() == 2 && Values.truthy(args.get(1)) ? args.get(1) : args.get(0);
            }
            case "printf" -> {
                if (args.isEmpty() || !(args.get(0) instanceof String format)) {
                    throw new TemplateException("printf: the first argument must be a format string");
                }
                yield Printf.format(format, args.subList(1, args.size()));
            }
            case "print" -> {
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < args.size(); i++) {
                    // Go's print adds a space between operands when neither is a string
                    if (i > 0 && !(args.get(i) instanceof String) && !(args.get(i - 1) instanceof String)) {
                        out.append(' ');
                    }
                    out.append(Values.print(args.get(i)));
                }
                yield out.toString();
            }
            case "int" -> {
                arity(name, args, 1, 1);
                yield toInt(args.get(0));
            }
            case "toJson" -> {
                arity(name, args, 1, 1);
                yield Values.json(args.get(0));
            }
            case "upper" -> text(name, args).toUpperCase(Locale.ROOT);
            case "lower" -> text(name, args).toLowerCase(Locale.ROOT);
            case "trim" -> text(name, args).strip();
            case "index" -> index(args);
            case "eq" -> {
                arity(name, args, 2, Integer.MAX_VALUE);
                boolean any = false;
                for (Object candidate : args.subList(1, args.size())) {
                    any |= Values.equal(args.get(0), candidate);
                }
                yield any;
            }
            case "ne" -> {
                arity(name, args, 2, 2);
                yield !Values.equal(args.get(0), args.get(1));
            }
            case "lt" -> compare(name, args) < 0;
            case "le" -> compare(name, args) <= 0;
            case "gt" -> compare(name, args) > 0;
            case "ge" -> compare(name, args) >= 0;
            case "and" -> {
                arity(name, args, 1, Integer.MAX_VALUE);
                Object last = null;
                for (Object arg : args) {
                    if (!Values.truthy(arg)) {
                        yield arg;
                    }
                    last = arg;
                }
                yield last;
            }
            case "or" -> {
                arity(name, args, 1, Integer.MAX_VALUE);
                Object last = null;
                for (Object arg : args) {
                    if (Values.truthy(arg)) {
                        yield arg;
                    }
                    last = arg;
                }
                yield last;
            }
            case "not" -> {
                arity(name, args, 1, 1);
                yield !Values.truthy(args.get(0));
            }
            case "len" -> {
                arity(name, args, 1, 1);
                Object v = args.get(0);
                if (v instanceof String s) {
                    yield (long) s.length();
                }
                if (v instanceof Collection<?> c) {
                    yield (long) c.size();
                }
                if (v instanceof Map<?, ?> m) {
                    yield (long) m.size();
                }
                throw new TemplateException("len of " + Values.typeName(v));
            }
            default -> throw new TemplateException("function \"" + name + "\" not defined");
        };
    }

    private static void arity(String name, List<Object> args, int min, int max) throws TemplateException {
        if (args.size() < min || args.size() > max) {
            throw new TemplateException("wrong number of args for " + name + ": want " + (min == max ? min
                    : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max) + " got " + args.size());
        }
    }

    private static String text(String name, List<Object> args) throws TemplateException {
        arity(name, args, 1, 1);
        return Values.print(args.get(0));
    }

    private static long toInt(Object v) throws TemplateException {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Values.decimal(new java.math.BigDecimal(s.strip())).longValue();
            } catch (NumberFormatException e) {
                throw new TemplateException("int: \"" + s + "\" is not a number");
            }
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new TemplateException("int: cannot convert " + Values.typeName(v));
    }

    private static int compare(String name, List<Object> args) throws TemplateException {
        arity(name, args, 2, 2);
        Object a = args.get(0);
        Object b = args.get(1);
        if (a instanceof Number && b instanceof Number) {
            return Values.decimal(a).compareTo(Values.decimal(b));
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        throw new TemplateException("incompatible types for comparison: " + Values.typeName(a) + " and " + Values.typeName(b));
    }

    private static Object index(List<Object> args) throws TemplateException {
        if (args.isEmpty()) {
            throw new TemplateException("wrong number of args for index: want at least 1 got 0");
        }
        Object v = args.get(0);
        for (Object key : args.subList(1, args.size())) {
            if (v instanceof Map<?, ?> map) {
                String k = Values.print(key);
                if (!map.containsKey(k)) {
                    throw new TemplateException("index: map has no entry for key \"" + k + "\"");
                }
                v = map.get(k);
            } else if (v instanceof List<?> list) {
                if (!(key instanceof Number n)) {
                    throw new TemplateException("index: cannot index list with " + Values.typeName(key));
                }
                int i = n.intValue();
                if (i < 0 || i >= list.size()) {
                    throw new TemplateException("index: index out of range: " + i);
                }
                v = list.get(i);
            } else {
                throw new TemplateException("index: cannot index " + Values.typeName(v));
            }
        }
        return v;
    }
}
