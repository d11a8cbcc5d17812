package dev.arkonis.ark.gotemplate;

import java.util.List;
import java.util.stream.Collectors;

/** The parse tree of a template, shaped like Go's text/template/parse nodes. Offsets point into the source. */
sealed interface Node {
    record Text(String text) implements Node {
    }

    /** {@code {{pipeline}}}: prints the value unless the pipeline declares or assigns variables. */
    record Action(int offset, Pipe pipe) implements Node {
    }

    /** if, range and with; {@code elseList} is null when there is no else. */
    record Control(Kind kind, int offset, Pipe pipe, List<Node> list, List<Node> elseList) implements Node {
        enum Kind { IF, RANGE, WITH }
    }

    record Break(int offset) implements Node {
    }

    record Continue(int offset) implements Node {
    }

    /** {@code {{template "name" pipeline}}}; {@code pipe} is null without one. */
    record Call(int offset, String name, Pipe pipe) implements Node {
    }

    /** Commands joined by "|", after optional declarations ({@code $x :=}) or assignments ({@code $x =}). */
    record Pipe(int offset, boolean isAssign, List<String> decl, List<Command> cmds) implements Arg {
        @Override
        public String toString() {
            String commands = cmds.stream().map(Command::toString).collect(Collectors.joining(" | "));
            return decl.isEmpty() ? commands : String.join(", ", decl) + (isAssign ? " = " : " := ") + commands;
        }
    }

    record Command(int offset, List<Arg> args) {
        @Override
        public String toString() {
            return args.stream().map(a -> a instanceof Pipe p ? "(" + p + ")" : a.toString())
                    .collect(Collectors.joining(" "));
        }
    }

    /** An operand of a command. */
    sealed interface Arg {
        int offset();
    }

    /** {@code .a.b}: a chain of keys from the dot. */
    record Field(int offset, List<String> idents) implements Arg {
        @Override
        public String toString() {
            return "." + String.join(".", idents);
        }
    }

    /** {@code $x.a.b}: a variable, then keys; {@code idents.get(0)} is the variable's name. */
    record Variable(int offset, List<String> idents) implements Arg {
        @Override
        public String toString() {
            return String.join(".", idents);
        }
    }

    /** {@code (pipeline).a.b}: keys read from the value of another operand. */
    record Chain(int offset, Arg node, List<String> fields) implements Arg {
        @Override
        public String toString() {
            return (node instanceof Pipe ? "(" + node + ")" : node.toString()) + "." + String.join(".", fields);
        }
    }

    record Identifier(int offset, String name) implements Arg {
        @Override
        public String toString() {
            return name;
        }
    }

    record Dot(int offset) implements Arg {
        @Override
        public String toString() {
            return ".";
        }
    }

    record Nil(int offset) implements Arg {
        @Override
        public String toString() {
            return "nil";
        }
    }

    record Bool(int offset, boolean value) implements Arg {
        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    /** A number constant: {@code value} is the Long or Double it is as a value, or null when it overflows int. */
    record Number(int offset, String text, Object value) implements Arg {
        @Override
        public String toString() {
            return text;
        }
    }

    record Str(int offset, String quoted, String value) implements Arg {
        @Override
        public String toString() {
            return quoted;
        }
    }
}
