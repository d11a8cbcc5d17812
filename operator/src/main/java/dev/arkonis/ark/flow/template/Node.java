package dev.arkonis.ark.flow.template;

import java.util.List;

/** The parsed form of a template: text, actions and blocks. */
sealed interface Node {
    record Text(String text) implements Node {
    }

    /** {@code {{ pipeline }}}; prints the value unless the pipeline declares variables. */
    record Action(Pipeline pipeline, Pos pos, String source) implements Node {
    }

    record If(Pipeline condition, List<Node> then, List<Node> otherwise, Pos pos, String source) implements Node {
    }

    record Range(Pipeline over, List<Node> body, List<Node> otherwise, Pos pos, String source) implements Node {
    }

    record With(Pipeline value, List<Node> body, List<Node> otherwise, Pos pos, String source) implements Node {
    }

    /** Where in the source a piece starts (1-based). */
    record Pos(int line, int column) {
        @Override
        public String toString() {
            return "line " + line + ", col " + column;
        }
    }

    /** Commands joined by {@code |}, optionally declaring ({@code :=}) or assigning ({@code =}) variables. */
    record Pipeline(List<String> variables, boolean declares, List<Command> commands) {
    }

    record Command(List<Arg> args) {
    }

    sealed interface Arg {
    }

    /** {@code .a.b}, {@code $.a}, {@code $x.a}: a chain of keys from the dot, the root or a variable. */
    record Field(String variable, List<String> keys) implements Arg {
    }

    record Literal(Object value) implements Arg {
    }

    record Function(String name) implements Arg {
    }

    record Sub(Pipeline pipeline) implements Arg {
    }
}
