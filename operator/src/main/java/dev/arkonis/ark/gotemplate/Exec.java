package dev.arkonis.ark.gotemplate;

import dev.arkonis.ark.gotemplate.Functions.Param;
import dev.arkonis.ark.gotemplate.Node.Arg;
import dev.arkonis.ark.gotemplate.Node.Command;
import dev.arkonis.ark.gotemplate.Node.Control;
import dev.arkonis.ark.gotemplate.Node.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Executes a parsed template as Go's text/template does, with missingkey=error. */
final class Exec {
    /** Stands for "no value piped in", which differs from a piped nil. */
    private static final Object MISSING = new Object();
    private static final int MAX_DEPTH = 1000;

    private enum Flow { NEXT, BREAK, CONTINUE }

    private record Variable(String name, Object value) {
    }

    private final String source;
    private final Map<String, List<Node>> templates;
    private final StringBuilder out;
    private final List<Variable> vars = new ArrayList<>();
    private final int depth;
    // the node being evaluated, for error messages (described only when one is written)
    private int atOffset;
    private Object atNode = "";

    private Exec(String source, Map<String, List<Node>> templates, StringBuilder out, Object dot, int depth) {
        this.source = source;
        this.templates = templates;
        this.out = out;
        this.depth = depth;
        vars.add(new Variable("$", dot));
    }

    static void run(String source, List<Node> root, Map<String, List<Node>> templates, Object data, StringBuilder out)
            throws TemplateException {
        new Exec(source, templates, out, data, 0).walk(data, root);
    }

    private Flow walk(Object dot, List<Node> nodes) throws TemplateException {
        for (Node node : nodes) {
            Flow flow = walk(dot, node);
            if (flow != Flow.NEXT) {
                return flow;
            }
        }
        return Flow.NEXT;
    }

    private Flow walk(Object dot, Node node) throws TemplateException {
        if (node instanceof Node.Text text) {
            out.append(text.text());
        } else if (node instanceof Node.Action action) {
            Object value = evalPipeline(dot, action.pipe());
            if (action.pipe().decl().isEmpty()) {
                out.append(GoFmt.print(value));
            }
        } else if (node instanceof Control control) {
            return control.kind() == Control.Kind.RANGE ? walkRange(dot, control) : walkIfOrWith(dot, control);
        } else if (node instanceof Node.Break) {
            return Flow.BREAK;
        } else if (node instanceof Node.Continue) {
            return Flow.CONTINUE;
        } else if (node instanceof Node.Call call) {
            walkTemplate(dot, call);
        }
        return Flow.NEXT;
    }

    private Flow walkIfOrWith(Object dot, Control control) throws TemplateException {
        int mark = vars.size();
        try {
            Object value = evalPipeline(dot, control.pipe());
            if (Values.truthy(value)) {
                return walk(control.kind() == Control.Kind.WITH ? value : dot, control.list());
            }
            return control.elseList() == null ? Flow.NEXT : walk(dot, control.elseList());
        } finally {
            pop(mark);
        }
    }

    private Flow walkRange(Object dot, Control range) throws TemplateException {
        int outer = vars.size();
        try {
            Object value = evalPipeline(dot, range.pipe());
            int mark = vars.size();
            List<String> decl = range.pipe().decl();
            boolean ran = false;
            switch (Values.kind(value)) {
                case INT, UINT -> {
                    if (decl.size() > 1) {
                        throw error("can't use " + GoFmt.print(value) + " to iterate over more than one variable");
                    }
                    for (long i = 0; i < Values.asLong(value); i++) {
                        ran = true;
                        if (iteration(range, null, i, mark) == Flow.BREAK) {
                            break;
                        }
                    }
                }
                case LIST -> {
                    List<?> list = Values.list(value);
                    for (int i = 0; i < list.size(); i++) {
                        ran = true;
                        if (iteration(range, (long) i, list.get(i), mark) == Flow.BREAK) {
                            break;
                        }
                    }
                }
                case MAP -> {
                    Map<String, Object> map = Values.map(value);
                    for (String key : Values.sortedKeys(map)) {
                        ran = true;
                        if (iteration(range, key, map.get(key), mark) == Flow.BREAK) {
                            break;
                        }
                    }
                }
                case NIL -> {
                    // like an empty map: the else branch runs
                }
                default -> throw error("range can't iterate over " + GoFmt.print(value));
            }
            if (!ran && range.elseList() != null) {
                return walk(dot, range.elseList());
            }
            return Flow.NEXT;
        } finally {
            pop(outer);
        }
    }

    private Flow iteration(Control range, Object index, Object element, int mark) throws TemplateException {
        List<String> decl = range.pipe().decl();
        if (!decl.isEmpty()) {
            if (range.pipe().isAssign()) {
                setVar(decl.get(0), decl.size() > 1 ? index : element);
            } else {
                vars.set(vars.size() - 1, new Variable(vars.get(vars.size() - 1).name(), element));
            }
        }
        if (decl.size() > 1) {
            if (range.pipe().isAssign()) {
                setVar(decl.get(1), element);
            } else {
                vars.set(vars.size() - 2, new Variable(vars.get(vars.size() - 2).name(), index));
            }
        }
        try {
            Flow flow = walk(element, range.list());
            return flow == Flow.BREAK ? Flow.BREAK : Flow.NEXT;
        } finally {
            pop(mark);
        }
    }

    private void walkTemplate(Object dot, Node.Call call) throws TemplateException {
        at(call.offset(), call);
        List<Node> body = templates.get(call.name());
        if (body == null) {
            throw error("template \"" + call.name() + "\" not defined");
        }
        if (depth >= MAX_DEPTH) {
            throw error("exceeded maximum template depth (" + MAX_DEPTH + ")");
        }
        Object value = call.pipe() == null ? null : evalPipeline(dot, call.pipe());
        new Exec(source, templates, out, value, depth + 1).walk(value, body);
    }

    // ---- pipelines and commands

    private Object evalPipeline(Object dot, Pipe pipe) throws TemplateException {
        at(pipe.offset(), pipe);
        Object value = MISSING;
        for (Command cmd : pipe.cmds()) {
            value = evalCommand(dot, cmd, value);
        }
        for (String variable : pipe.decl()) {
            if (pipe.isAssign()) {
                setVar(variable, value);
            } else {
                vars.add(new Variable(variable, value));
            }
        }
        return value;
    }

    private Object evalCommand(Object dot, Command cmd, Object piped) throws TemplateException {
        Arg first = cmd.args().get(0);
        if (first instanceof Node.Field field) {
            return evalFieldChain(dot, field, field.idents(), cmd.args(), piped);
        }
        if (first instanceof Node.Chain chain) {
            return evalChain(dot, chain, cmd.args(), piped);
        }
        if (first instanceof Node.Identifier identifier) {
            return evalFunction(dot, identifier, cmd.args(), piped);
        }
        if (first instanceof Pipe pipe) {
            notAFunction(cmd.args(), piped);
            return evalPipeline(dot, pipe);
        }
        if (first instanceof Node.Variable variable) {
            return evalVariable(dot, variable, cmd.args(), piped);
        }
        at(first);
        notAFunction(cmd.args(), piped);
        if (first instanceof Node.Bool bool) {
            return bool.value();
        }
        if (first instanceof Node.Dot) {
            return dot;
        }
        if (first instanceof Node.Number number) {
            return idealConstant(number);
        }
        if (first instanceof Node.Str str) {
            return str.value();
        }
        throw error("nil is not a command");
    }

    private void notAFunction(List<Arg> args, Object piped) throws TemplateException {
        if (args.size() > 1 || piped != MISSING) {
            throw error("can't give argument to non-function " + args.get(0));
        }
    }

    private Object idealConstant(Node.Number number) throws TemplateException {
        at(number);
        if (number.value() == null) {
            throw error(number.text() + " overflows int");
        }
        return number.value();
    }

    private Object evalFieldChain(Object receiver, Arg node, List<String> idents, List<Arg> args, Object piped)
            throws TemplateException {
        at(node);
        for (int i = 0; i < idents.size() - 1; i++) {
            receiver = evalField(idents.get(i), null, MISSING, receiver);
        }
        return evalField(idents.get(idents.size() - 1), args, piped, receiver);
    }

    private Object evalField(String name, List<Arg> args, Object piped, Object receiver) throws TemplateException {
        if (receiver == null) {
            throw error("nil data; no entry for key \"" + name + "\"");
        }
        if (receiver instanceof Map<?, ?> map) {
            if ((args != null && args.size() > 1) || piped != MISSING) {
                throw error(name + " is not a method but has arguments");
            }
            if (!map.containsKey(name)) {
                throw error("map has no entry for key \"" + name + "\"");
            }
            return map.get(name);
        }
        throw error("can't evaluate field " + name + " in type " + Values.typeName(receiver));
    }

    private Object evalChain(Object dot, Node.Chain chain, List<Arg> args, Object piped) throws TemplateException {
        at(chain);
        if (chain.node() instanceof Node.Nil) {
            throw error("indirection through explicit nil in " + chain);
        }
        Object receiver = evalArg(dot, Param.ANY, chain.node());
        return evalFieldChain(receiver, chain, chain.fields(), args, piped);
    }

    private Object evalVariable(Object dot, Node.Variable variable, List<Arg> args, Object piped)
            throws TemplateException {
        at(variable);
        Object value = varValue(variable.idents().get(0));
        if (variable.idents().size() == 1) {
            notAFunction(args == null ? List.of(variable) : args, piped);
            return value;
        }
        return evalFieldChain(value, variable, variable.idents().subList(1, variable.idents().size()), args, piped);
    }

    private Object evalFunction(Object dot, Node.Identifier identifier, List<Arg> args, Object piped)
            throws TemplateException {
        at(identifier);
        String name = identifier.name();
        Functions.Function function = Functions.get(name);
        Functions.Signature signature = function.signature();
        List<Arg> given = args.subList(1, args.size());
        int numIn = given.size() + (piped != MISSING ? 1 : 0);
        int numFixed = signature.fixed().size();
        if (signature.variadic() != null) {
            if (numIn < numFixed) {
                throw error("wrong number of args for " + name + ": want at least " + numFixed + " got " + given.size());
            }
        } else if (numIn != numFixed) {
            throw error("wrong number of args for " + name + ": want " + numFixed + " got " + numIn);
        }
        if (name.equals("and") || name.equals("or")) {
            Object v = null;
            for (Arg arg : given) {
                v = evalArg(dot, Param.VALUE, arg);
                if (Values.truthy(v) == name.equals("or")) {
                    return v;
                }
            }
            return piped != MISSING ? piped : v;
        }
        List<Object> argv = new ArrayList<>(numIn);
        for (int i = 0; i < given.size(); i++) {
            argv.add(evalArg(dot, i < numFixed ? signature.fixed().get(i) : signature.variadic(), given.get(i)));
        }
        if (piped != MISSING) {
            Param param = numIn - 1 < numFixed ? signature.fixed().get(numIn - 1) : signature.variadic();
            argv.add(validate(piped, param));
        }
        at(identifier);
        if (name.equals("call")) {
            Object fn = argv.get(0);
            throw error("error calling call: " + (fn == null ? "call of nil"
                    : "non-function " + (given.isEmpty() ? GoFmt.print(fn) : given.get(0)) + " of type "
                    + Values.typeName(fn)));
        }
        try {
            return function.body().call(argv);
        } catch (Functions.Failure e) {
            throw error("error calling " + name + ": " + e.getMessage());
        }
    }

    /** An argument's value for a parameter of the given kind (Go's evalArg). */
    private Object evalArg(Object dot, Param param, Arg arg) throws TemplateException {
        at(arg);
        if (arg instanceof Node.Dot) {
            return validate(dot, param);
        }
        if (arg instanceof Node.Nil) {
            if (param == Param.STRING) {
                throw error("cannot assign nil to string");
            }
            return null;
        }
        if (arg instanceof Node.Field field) {
            return validate(evalFieldChain(dot, field, field.idents(), List.of(arg), MISSING), param);
        }
        if (arg instanceof Node.Variable variable) {
            return validate(evalVariable(dot, variable, null, MISSING), param);
        }
        if (arg instanceof Pipe pipe) {
            return validate(evalPipeline(dot, pipe), param);
        }
        if (arg instanceof Node.Identifier identifier) {
            return validate(evalFunction(dot, identifier, List.of(arg), MISSING), param);
        }
        if (arg instanceof Node.Chain chain) {
            return validate(evalChain(dot, chain, List.of(arg), MISSING), param);
        }
        if (param == Param.STRING) {
            if (arg instanceof Node.Str str) {
                return str.value();
            }
            throw error("expected string; found " + arg);
        }
        if (arg instanceof Node.Bool bool) {
            return bool.value();
        }
        if (arg instanceof Node.Number number) {
            return idealConstant(number);
        }
        return ((Node.Str) arg).value();
    }

    private Object validate(Object value, Param param) throws TemplateException {
        if (param == Param.STRING && !(value instanceof String)) {
            throw error(value == null ? "invalid value; expected string"
                    : "wrong type for value; expected string; got " + Values.typeName(value));
        }
        return value;
    }

    // ---- variables

    private Object varValue(String name) throws TemplateException {
        for (int i = vars.size() - 1; i >= 0; i--) {
            if (vars.get(i).name().equals(name)) {
                return vars.get(i).value();
            }
        }
        throw error("undefined variable: " + name);
    }

    private void setVar(String name, Object value) throws TemplateException {
        for (int i = vars.size() - 1; i >= 0; i--) {
            if (vars.get(i).name().equals(name)) {
                vars.set(i, new Variable(name, value));
                return;
            }
        }
        throw error("undefined variable: " + name);
    }

    private void pop(int mark) {
        while (vars.size() > mark) {
            vars.remove(vars.size() - 1);
        }
    }

    // ---- errors

    private void at(Arg node) {
        at(node.offset(), node);
    }

    private void at(int offset, Object node) {
        atOffset = offset;
        atNode = node;
    }

    private TemplateException error(String message) {
        String node = atNode instanceof Node.Call call ? "{{template \"" + call.name() + "\"}}" : atNode.toString();
        return new TemplateException(Positions.at(source, atOffset) + ": executing <" + node + ">: " + message);
    }
}
