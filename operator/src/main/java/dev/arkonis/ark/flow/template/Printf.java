package dev.arkonis.ark.flow.template;

import java.util.List;

/** Go's printf verbs (%s %d %v %q %f %.Nf %t %x %%) on template values. */
final class Printf {
    private Printf() {
    }

    static String format(String format, List<Object> args) throws TemplateException {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int start = i++;
            while (i < format.length() && ("-+ 0#".indexOf(format.charAt(i)) >= 0 || Character.isDigit(format.charAt(i))
                    || format.charAt(i) == '.')) {
                i++;
            }
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(i);
            String flags = format.substring(start + 1, i);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (next >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            Object arg = args.get(next++);
            out.append(one(verb, flags, arg));
        }
        if (next < args.size()) {
            out.append("%!(EXTRA ");
            for (int j = next; j < args.size(); j++) {
                out.append(j > next ? ", " : "").append(Values.print(args.get(j)));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static String one(char verb, String flags, Object arg) throws TemplateException {
        return switch (verb) {
            case 's', 'v' -> String.format("%" + flags + "s", Values.print(arg));
            case 'q' -> "\"" + Values.print(arg).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
            case 't' -> String.valueOf(Values.truthy(arg));
            case 'd' -> {
                if (!(arg instanceof Number n)) {
                    yield "%!d(" + Values.typeName(arg) + "=" + Values.print(arg) + ")";
                }
                yield String.format("%" + flags + "d", n.longValue());
            }
            case 'f', 'e', 'g' -> {
                if (!(arg instanceof Number n)) {
                    yield "%!" + verb + "(" + Values.typeName(arg) + "=" + Values.print(arg) + ")";
                }
                yield String.format("%" + (flags.isEmpty() && verb == 'f' ? ".6" : flags) + verb, n.doubleValue());
            }
            case 'x' -> arg instanceof Number n ? Long.toHexString(n.longValue())
                    : java.util.HexFormat.of().formatHex(Values.print(arg).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            default -> throw new TemplateException("printf: unsupported verb %" + verb);
        };
    }
}
