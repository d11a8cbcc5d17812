package dev.arkonis.ark.gotemplate;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A template in Go's text/template language, parsed once and rendered many times, rendering exactly as Go renders
 * it with {@code Option("missingkey=error")}: fields, variables, pipelines, Go's builtins and ark's functions
 * ({@code default}, {@code int}, {@code toJson}, {@code upper}, {@code lower}, {@code trim}), if/else/range/with/
 * define/template/block, break and continue. It knows nothing of ark's resources, so it imports nothing of ark; the
 * conformance corpus ({@code src/test/gotemplate}) holds it to Go's own output.
 */
public final class Template {
    private final String source;
    private final List<Node> root;
    private final Map<String, List<Node>> templates;
    private final List<List<String>> rootChains;

    private Template(String source, TemplateParser.Parsed parsed) {
        this.source = source;
        this.root = List.copyOf(parsed.root());
        this.templates = Map.copyOf(parsed.templates());
        this.rootChains = parsed.rootChains();
    }

    /** Parses; syntax errors, unknown functions and undefined variables throw with "line L, col C" in the message. */
    public static Template parse(String source) throws TemplateException {
        return new Template(source, TemplateParser.parse(source));
    }

    /**
     * Renders against maps, lists, strings, numbers (Long as Go's int, Double as float64), booleans and nulls. A
     * missing map key is an error.
     */
    public String render(Object data) throws TemplateException {
        StringBuilder out = new StringBuilder();
        Exec.run(source, root, templates, data, out);
        return out.toString();
    }

    /** Every chain of keys read from the root data ({@code ["input","topic"]}), in order of first appearance. */
    public List<List<String>> rootFieldChains() {
        return rootChains;
    }

    public String source() {
        return source;
    }

    /** Go's template truth: false, 0, nil, "" and empty lists and maps are false. */
    public static boolean isTruthy(Object value) {
        return Values.truthy(value);
    }

    public static Set<String> functionNames() {
        return Functions.names();
    }

    @Override
    public String toString() {
        return source;
    }
}
