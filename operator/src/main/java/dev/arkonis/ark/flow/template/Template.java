package dev.arkonis.ark.flow.template;

import java.util.*;
import java.util.regex.*;

/** TEMPORARY STUB - replaced by the real engine. */
public final class Template {
    private static final Pattern ACTION = Pattern.compile("\\{\\{\\s*\\.([a-zA-Z0-9_.]+)\\s*}}");
    private final String source;
    private Template(String s) { source = s; }
    public static Template parse(String source) throws TemplateException {
        if (source.contains("{{") && !source.contains("}}")) throw new TemplateException("unclosed action");
        return new Template(source);
    }
    public String render(Object data) throws TemplateException {
        Matcher m = ACTION.matcher(source);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object v = data;
            for (String k : m.group(1).split("\\.")) {
                if (!(v instanceof Map<?, ?> map) || !map.containsKey(k)) throw new TemplateException("map has no entry for key \"" + k + "\"");
                v = map.get(k);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : String.valueOf(v)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
    public List<List<String>> rootFieldChains() {
        List<List<String>> out = new ArrayList<>();
        Matcher m = ACTION.matcher(source);
        while (m.find()) out.add(List.of(m.group(1).split("\\.")));
        return out;
    }
    public String source() { return source; }
    public static boolean isTruthy(Object v) { return v != null && !Boolean.FALSE.equals(v) && !"".equals(v); }
    public static Set<String> functionNames() { return Set.of(); }
}
