package dev.arkonis.ark.flow.template;

import dev.arkonis.ark.flow.template.Node.Arg;
import dev.arkonis.ark.flow.template.Node.Command;
import dev.arkonis.ark.flow.template.Node.Field;
import dev.arkonis.ark.flow.template.Node.Pipeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Go text/template-style template, parsed once and rendered many times: fields ({@code .input.topic}), variables,
 * pipelines, the functions of SPEC 2, and if/else/range/with blocks. A missing map key is an error, never "".
 */
public final class Template {
    private final String source;
    private final List<Node> nodes;
    private final List<List<String>> rootChains;

    private Template(String source, List<Node> nodes, List<List<String>> rootChains) {
        this.source = source;
        this.nodes = nodes;
        this.rootChains = rootChains;
    }

    /** Parses; syntax errors and unknown functions throw with "line L, col C" in the message. */
    public static Template parse(String source) throws TemplateException {
        TemplateParser.Parsed parsed = TemplateParser.parse(source);
        return new Template(source, List.copyOf(parsed.nodes()), List.copyOf(parsed.rootChains()));
    }

    /** Renders against maps, lists, strings, numbers, booleans and nulls. */
    public String render(Object data) throws TemplateException {
        StringBuilder out = new StringBuilder();
        execute(nodes, data, new Scope(null, data), out);
        return out.toString();
    }

    /** Every field chain read from the root data ({@code ["input","topic"]}), in order of first appearance. */
    public List<List<String>> rootFieldChains() {
        return rootChains;
    }

    public String source() {
        return source;
    }

    /** Go truthiness: false, 0, nil, "" and empty lists and maps are false. */
    public static boolean isTruthy(Object value) {
        return Values.truthy(value);
    }

    public static Set<String> functionNames() {
        return Functions.NAMES;
    }

    @Override
    public String toString() {
        return source;
    }

    // ---- evaluation ----

    /** Variables of a block; lookups climb to the enclosing blocks. */
    private static final class Scope {
        final Scope parent;
        final Map<String, Object> variables = new HashMap<>();

        Scope(Scope parent, Object root) {
            this.parent = parent;
            if (parent == null) {
                variables.put("$", root);
            }
        }

        Scope child() {
            return new Scope(this, null);
        }

        boolean has(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.variables.containsKey(name)) {
                    return true;
                }
            }
            return false;
        }

        Object get(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.variables.containsKey(name)) {
                    return s.variables.get(name);
                }
            }
            return null;
        }

        void assign(String name, Object value) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.variables.containsKey(name)) {
                    s.variables.put(name, value);
                    return;
                }
            }
            variables.put(name, value);
        }
    }

    private static void execute(List<Node> nodes, Object dot, Scope scope, StringBuilder out) throws TemplateException {
        for (Node node : nodes) {
            if (node instanceof Node.Text text) {
                out.append(text.text());
            } else if (node instanceof Node.Action action) {
                Object value = run(action.source(), action.pos(), () -> pipeline(action.pipeline(), dot, scope));
                if (action.pipeline().variables().isEmpty()) {
                    out.append(Values.print(value));
                } else {
                    bind(action.pipeline(), value, scope, action.source(), action.pos());
                }
            } else if (node instanceof Node.If block) {
                Object condition = run(block.source(), block.pos(), () -> pipeline(block.condition(), dot, scope));
                execute(Values.truthy(condition) ? block.then() : block.otherwise(), dot, scope.child(), out);
            } else if (node instanceof Node.With block) {
                Scope inner = scope.child();
                Object value = run(block.source(), block.pos(), () -> pipeline(block.value(), dot, scope));
                if (Values.truthy(value)) {
                    bind(block.value(), value, inner, block.source(), block.pos());
                    execute(block.body(), value, inner, out);
                } else {
                    execute(block.otherwise(), dot, scope.child(), out);
                }
            } else if (node instanceof Node.Range block) {
                range(block, dot, scope, out);
            }
        }
    }

    private static void range(Node.Range block, Object dot, Scope scope, StringBuilder out) throws TemplateException {
        Object over = run(block.source(), block.pos(), () -> pipeline(block.over(), dot, scope));
        List<String> vars = block.over().variables();
        List<Object[]> items = new ArrayList<>();
        if (over instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                items.add(new Object[] {(long) i, list.get(i)});
            }
        } else if (over instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                items.add(new Object[] {e.getKey(), e.getValue()});
            }
        } else if (over instanceof Number n && (n instanceof Long || n instanceof Integer)) {
            for (long i = 0; i < n.longValue(); i++) {
                items.add(new Object[] {i, i});
            }
        } else if (over != null) {
            throw new TemplateException("template: executing \"" + block.source() + "\" at " + block.pos()
                    + ": range can't iterate over " + Values.typeName(over));
        }
        if (items.isEmpty()) {
            execute(block.otherwise(), dot, scope.child(), out);
            return;
        }
        for (Object[] item : items) {
            Scope inner = scope.child();
            if (vars.size() == 1) {
                inner.variables.put(vars.get(0), item[1]);
            } else if (vars.size() == 2) {
                inner.variables.put(vars.get(0), item[0]);
                inner.variables.put(vars.get(1), item[1]);
            }
            execute(block.body(), item[1], inner, out);
        }
    }

    private static void bind(Pipeline pipeline, Object value, Scope scope, String source, Node.Pos pos)
            throws TemplateException {
        if (pipeline.variables().size() > 1) {
            throw new TemplateException("template: executing \"" + source + "\" at " + pos
                    + ": too many declarations");
        }
        for (String name : pipeline.variables()) {
            if (pipeline.declares()) {
                scope.variables.put(name, value);
            } else if (scope.has(name)) {
                scope.assign(name, value);
            } else {
                throw new TemplateException("template: executing \"" + source + "\" at " + pos
                        + ": undefined variable: " + name);
            }
        }
    }

    @FunctionalInterface
    private interface Evaluation {
        Object get() throws TemplateException;
    }

    /** Names the action an error happened in, as Go does. */
    private static Object run(String source, Node.Pos pos, Evaluation evaluation) throws TemplateException {
        try {
            return evaluation.get();
        } catch (TemplateException e) {
            throw new TemplateException("template: executing \"" + source + "\" at " + pos + ": " + e.getMessage());
        }
    }

    private static Object pipeline(Pipeline pipeline, Object dot, Scope scope) throws TemplateException {
        Object value = null;
        boolean piped = false;
        for (Command command : pipeline.commands()) {
            value = command(command, dot, scope, piped, value);
            piped = true;
        }
        return value;
    }

    private static Object command(Command command, Object dot, Scope scope, boolean piped, Object pipedValue)
            throws TemplateException {
        Arg first = command.args().get(0);
        if (first instanceof Node.Function function) {
            List<Object> args = new ArrayList<>();
            for (Arg arg : command.args().subList(1, command.args().size())) {
                args.add(argument(arg, dot, scope));
            }
            if (piped) {
                args.add(pipedValue);
            }
            return Functions.call(function.name(), args);
        }
        if (command.args().size() > 1 || piped) {
            throw new TemplateException("can't give argument to non-function " + describe(first));
        }
        return argument(first, dot, scope);
    }

    private static Object argument(Arg arg, Object dot, Scope scope) throws TemplateException {
        if (arg instanceof Node.Literal literal) {
            return literal.value();
        }
        if (arg instanceof Node.Sub sub) {
            return pipeline(sub.pipeline(), dot, scope);
        }
        if (arg instanceof Node.Function function) {
            return Functions.call(function.name(), List.of());
        }
        return field((Field) arg, dot, scope);
    }

    private static Object field(Field field, Object dot, Scope scope) throws TemplateException {
        Object value;
        StringBuilder path = new StringBuilder();
        if (field.variable() == null) {
            value = dot;
        } else {
            if (!scope.has(field.variable())) {
                throw new TemplateException("undefined variable: " + field.variable());
            }
            value = scope.get(field.variable());
            path.append(field.variable().equals("$") ? "$" : field.variable());
        }
        for (String key : field.keys()) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new TemplateException((path.isEmpty() ? "." : path) + ": can't read field \"" + key + "\" of "
                        + Values.typeName(value));
            }
            path.append('.').append(key);
            if (!map.containsKey(key)) {
                throw new TemplateException(path + ": map has no entry for key \"" + key + "\"");
            }
            value = map.get(key);
        }
        return value;
    }

    private static String describe(Arg arg) {
        if (arg instanceof Node.Literal literal) {
            return Values.print(literal.value());
        }
        if (arg instanceof Field field) {
            return (field.variable() == null ? "" : field.variable()) + "." + String.join(".", field.keys());
        }
        return arg.toString();
    }
}
