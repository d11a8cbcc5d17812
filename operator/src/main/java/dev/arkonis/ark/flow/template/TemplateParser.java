package dev.arkonis.ark.flow.template;

import dev.arkonis.ark.flow.template.Node.Arg;
import dev.arkonis.ark.flow.template.Node.Command;
import dev.arkonis.ark.flow.template.Node.Field;
import dev.arkonis.ark.flow.template.Node.Pipeline;
import dev.arkonis.ark.flow.template.Node.Pos;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns template text into nodes: text, actions and if/range/with blocks, Go text/template style. Also collects the
 * field chains read from the root data, for validation.
 */
final class TemplateParser {
    private final String src;
    private int at;
    private final List<List<String>> rootChains = new ArrayList<>();
    private final Set<List<String>> seenChains = new LinkedHashSet<>();
    // how many range/with blocks enclose the current action: inside them the dot is not the root
    private int dotDepth;
    private boolean trimNextText;

    private TemplateParser(String src) {
        this.src = src;
    }

    record Parsed(List<Node> nodes, List<List<String>> rootChains) {
    }

    static Parsed parse(String source) throws TemplateException {
        TemplateParser parser = new TemplateParser(source);
        List<Node> nodes = new ArrayList<>();
        Ending end = parser.parseList(nodes);
        if (end != null) {
            throw new TemplateException("template: unexpected {{" + end.keyword + "}} at " + end.pos);
        }
        return new Parsed(nodes, parser.rootChains);
    }

    /** The keyword that closed a list ({@code end} or {@code else}), or null at the end of the source. */
    private record Ending(String keyword, Pipeline elseIf, Pos pos, String source) {
    }

    private Ending parseList(List<Node> into) throws TemplateException {
        while (at < src.length()) {
            int open = src.indexOf("{{", at);
            String text = open < 0 ? src.substring(at) : src.substring(at, open);
            if (trimNextText) {
                text = text.stripLeading();
                trimNextText = false;
            }
            if (open < 0) {
                addText(into, text);
                at = src.length();
                break;
            }
            boolean trimLeft = src.startsWith("{{- ", open) || src.startsWith("{{-\t", open) || src.startsWith("{{-\n", open);
            if (trimLeft) {
                text = text.stripTrailing();
            }
            addText(into, text);
            Pos pos = position(open);
            at = open + (trimLeft ? 3 : 2);
            int actionStart = open;
            if (skipComment(pos)) {
                continue;
            }
            ActionLexer lexer = new ActionLexer(src, at, pos);
            List<Token> tokens = lexer.tokens();
            at = lexer.end();
            trimNextText = lexer.trimRight();
            String source = src.substring(actionStart, at);
            if (tokens.isEmpty()) {
                throw new TemplateException("template: missing value for command at " + pos);
            }
            Token first = tokens.get(0);
            if (first.kind == Kind.IDENT) {
                switch (first.text) {
                    case "end" -> {
                        expectOnly(tokens, 1, "end", pos);
                        return new Ending("end", null, pos, source);
                    }
                    case "else" -> {
                        if (tokens.size() > 1 && tokens.get(1).kind == Kind.IDENT && tokens.get(1).text.equals("if")) {
                            return new Ending("else if", pipeline(new Cursor(tokens.subList(2, tokens.size()), pos), false),
                                    pos, source);
                        }
                        expectOnly(tokens, 1, "else", pos);
                        return new Ending("else", null, pos, source);
                    }
                    case "if" -> {
                        into.add(parseIf(pipeline(new Cursor(tokens.subList(1, tokens.size()), pos), false), pos, source));
                        continue;
                    }
                    case "range", "with" -> {
                        into.add(parseBlock(first.text, tokens, pos, source));
                        continue;
                    }
                    default -> {
                    }
                }
            }
            into.add(new Node.Action(pipeline(new Cursor(tokens, pos), true), pos, source));
        }
        return null;
    }

    private Node parseIf(Pipeline condition, Pos pos, String source) throws TemplateException {
        List<Node> then = new ArrayList<>();
        Ending end = parseList(then);
        List<Node> otherwise = new ArrayList<>();
        if (end == null) {
            throw new TemplateException("template: unexpected EOF: {{if}} at " + pos + " has no {{end}}");
        }
        if (end.keyword.equals("else if")) {
            otherwise.add(parseIf(end.elseIf, end.pos, end.source));
        } else if (end.keyword.equals("else")) {
            Ending close = parseList(otherwise);
            requireEnd(close, "if", pos);
        }
        return new Node.If(condition, then, otherwise, pos, source);
    }

    private Node parseBlock(String keyword, List<Token> tokens, Pos pos, String source) throws TemplateException {
        Pipeline head = pipeline(new Cursor(tokens.subList(1, tokens.size()), pos), false);
        dotDepth++;
        List<Node> body = new ArrayList<>();
        Ending end = parseList(body);
        dotDepth--;
        List<Node> otherwise = new ArrayList<>();
        if (end == null) {
            throw new TemplateException("template: unexpected EOF: {{" + keyword + "}} at " + pos + " has no {{end}}");
        }
        if (end.keyword.equals("else")) {
            requireEnd(parseList(otherwise), keyword, pos);
        } else if (!end.keyword.equals("end")) {
            throw new TemplateException("template: {{else if}} at " + end.pos + " inside {{" + keyword + "}}");
        }
        return keyword.equals("range") ? new Node.Range(head, body, otherwise, pos, source)
                : new Node.With(head, body, otherwise, pos, source);
    }

    private static void requireEnd(Ending end, String keyword, Pos pos) throws TemplateException {
        if (end == null) {
            throw new TemplateException("template: unexpected EOF: {{" + keyword + "}} at " + pos + " has no {{end}}");
        }
        if (!end.keyword.equals("end")) {
            throw new TemplateException("template: unexpected {{" + end.keyword + "}} at " + end.pos);
        }
    }

    private static void expectOnly(List<Token> tokens, int size, String keyword, Pos pos) throws TemplateException {
        if (tokens.size() != size) {
            throw new TemplateException("template: unexpected " + tokens.get(size).text + " in {{" + keyword + "}} at " + pos);
        }
    }

    private boolean skipComment(Pos pos) throws TemplateException {
        int i = at;
        while (i < src.length() && src.charAt(i) == ' ') {
            i++;
        }
        if (!src.startsWith("/*", i)) {
            return false;
        }
        int close = src.indexOf("*/", i + 2);
        if (close < 0) {
            throw new TemplateException("template: unclosed comment at " + pos);
        }
        int j = close + 2;
        while (j < src.length() && src.charAt(j) == ' ') {
            j++;
        }
        if (src.startsWith("-}}", j)) {
            trimNextText = true;
            at = j + 3;
        } else if (src.startsWith("}}", j)) {
            at = j + 2;
        } else {
            throw new TemplateException("template: comment ends before closing delimiter at " + pos);
        }
        return true;
    }

    private static void addText(List<Node> into, String text) {
        if (!text.isEmpty()) {
            into.add(new Node.Text(text));
        }
    }

    private Pos position(int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (src.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Pos(line, offset - lineStart + 1);
    }

    // ---- pipelines ----

    private Pipeline pipeline(Cursor in, boolean topLevel) throws TemplateException {
        List<String> variables = new ArrayList<>();
        boolean declares = false;
        // "$x :=" / "$i, $e :=" / "$x ="
        int save = in.i;
        List<String> names = new ArrayList<>();
        while (in.peek(Kind.VARIABLE) && in.peekAt(1) != null
                && (in.peekAt(1).kind == Kind.DECLARE || in.peekAt(1).kind == Kind.ASSIGN || in.peekAt(1).kind == Kind.COMMA)) {
            Token name = in.next();
            if (!name.chain.isEmpty()) {
                break;
            }
            names.add(name.text);
            Token sep = in.next();
            if (sep.kind == Kind.DECLARE || sep.kind == Kind.ASSIGN) {
                variables = names;
                declares = sep.kind == Kind.DECLARE;
                break;
            }
        }
        if (variables.isEmpty()) {
            in.i = save;
        }
        List<Command> commands = new ArrayList<>();
        commands.add(command(in));
        while (in.peek(Kind.PIPE)) {
            in.next();
            commands.add(command(in));
        }
        if (!in.atEnd() && topLevel) {
            throw new TemplateException("template: unexpected " + in.peekAt(0).text + " at " + in.pos);
        }
        if (!in.atEnd() && !in.peek(Kind.RPAREN)) {
            throw new TemplateException("template: unexpected " + in.peekAt(0).text + " at " + in.pos);
        }
        return new Pipeline(variables, declares, commands);
    }

    private Command command(Cursor in) throws TemplateException {
        List<Arg> args = new ArrayList<>();
        while (!in.atEnd() && !in.peek(Kind.PIPE) && !in.peek(Kind.RPAREN)) {
            args.add(operand(in));
        }
        if (args.isEmpty()) {
            throw new TemplateException("template: missing value for command at " + in.pos);
        }
        return new Command(args);
    }

    private Arg operand(Cursor in) throws TemplateException {
        Token t = in.next();
        switch (t.kind) {
            case FIELD -> {
                noteChain(null, t.chain);
                return new Field(null, t.chain);
            }
            case VARIABLE -> {
                noteChain(t.text, t.chain);
                return new Field(t.text, t.chain);
            }
            case STRING -> {
                return new Node.Literal(t.value);
            }
            case NUMBER -> {
                return new Node.Literal(t.value);
            }
            case LPAREN -> {
                Pipeline inner = pipeline(in, false);
                if (!in.peek(Kind.RPAREN)) {
                    throw new TemplateException("template: unclosed left paren at " + in.pos);
                }
                in.next();
                return new Node.Sub(inner);
            }
            case IDENT -> {
                return switch (t.text) {
                    case "true" -> new Node.Literal(Boolean.TRUE);
                    case "false" -> new Node.Literal(Boolean.FALSE);
                    case "nil" -> new Node.Literal(null);
                    default -> {
                        if (!Functions.NAMES.contains(t.text)) {
                            throw new TemplateException("template: function \"" + t.text + "\" not defined at " + in.pos);
                        }
                        yield new Node.Function(t.text);
                    }
                };
            }
            default -> throw new TemplateException("template: unexpected \"" + t.text + "\" at " + in.pos);
        }
    }

    private void noteChain(String variable, List<String> chain) {
        boolean fromRoot = "$".equals(variable) || (variable == null && dotDepth == 0);
        if (fromRoot && !chain.isEmpty() && seenChains.add(chain)) {
            rootChains.add(chain);
        }
    }

    // ---- tokens ----

    enum Kind { FIELD, VARIABLE, IDENT, STRING, NUMBER, LPAREN, RPAREN, PIPE, COMMA, DECLARE, ASSIGN }

    static final class Token {
        final Kind kind;
        final String text;
        final List<String> chain;
        final Object value;

        Token(Kind kind, String text, List<String> chain, Object value) {
            this.kind = kind;
            this.text = text;
            this.chain = chain;
            this.value = value;
        }
    }

    private static final class Cursor {
        final List<Token> tokens;
        final Pos pos;
        int i;

        Cursor(List<Token> tokens, Pos pos) {
            this.tokens = tokens;
            this.pos = pos;
        }

        boolean atEnd() {
            return i >= tokens.size();
        }

        boolean peek(Kind kind) {
            return !atEnd() && tokens.get(i).kind == kind;
        }

        Token peekAt(int ahead) {
            return i + ahead < tokens.size() ? tokens.get(i + ahead) : null;
        }

        Token next() throws TemplateException {
            if (atEnd()) {
                throw new TemplateException("template: unexpected end of action at " + pos);
            }
            return tokens.get(i++);
        }
    }

    /** Splits one action into tokens, up to its closing {@code }}} (or {@code -}}}). */
    private static final class ActionLexer {
        private final String src;
        private final Pos pos;
        private int i;
        private boolean trimRight;

        ActionLexer(String src, int start, Pos pos) {
            this.src = src;
            this.i = start;
            this.pos = pos;
        }

        int end() {
            return i;
        }

        boolean trimRight() {
            return trimRight;
        }

        List<Token> tokens() throws TemplateException {
            List<Token> tokens = new ArrayList<>();
            while (true) {
                while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
                    i++;
                }
                if (i >= src.length()) {
                    throw new TemplateException("template: unclosed action at " + pos);
                }
                char c = src.charAt(i);
                if (src.startsWith("}}", i)) {
                    i += 2;
                    return tokens;
                }
                if (c == '-' && src.startsWith("-}}", i) && i > 0 && Character.isWhitespace(src.charAt(i - 1))) {
                    i += 3;
                    trimRight = true;
                    return tokens;
                }
                switch (c) {
                    case '(' -> tokens.add(simple(Kind.LPAREN, "("));
                    case ')' -> tokens.add(simple(Kind.RPAREN, ")"));
                    case '|' -> tokens.add(simple(Kind.PIPE, "|"));
                    case ',' -> tokens.add(simple(Kind.COMMA, ","));
                    case '=' -> tokens.add(simple(Kind.ASSIGN, "="));
                    case ':' -> {
                        if (!src.startsWith(":=", i)) {
                            throw new TemplateException("template: unexpected \":\" at " + pos);
                        }
                        i += 2;
                        tokens.add(new Token(Kind.DECLARE, ":=", List.of(), null));
                    }
                    case '"' -> tokens.add(quoted());
                    case '`' -> tokens.add(raw());
                    case '.' -> tokens.add(field());
                    case '$' -> tokens.add(variable());
                    default -> {
                        if (Character.isDigit(c) || ((c == '-' || c == '+') && i + 1 < src.length()
                                && Character.isDigit(src.charAt(i + 1)))) {
                            tokens.add(number());
                        } else if (Character.isLetter(c) || c == '_') {
                            int start = i;
                            while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
                                i++;
                            }
                            tokens.add(new Token(Kind.IDENT, src.substring(start, i), List.of(), null));
                        } else {
                            throw new TemplateException("template: unexpected \"" + c + "\" in action at " + pos);
                        }
                    }
                }
            }
        }

        private Token simple(Kind kind, String text) {
            i++;
            return new Token(kind, text, List.of(), null);
        }

        private List<String> chain() throws TemplateException {
            List<String> keys = new ArrayList<>();
            while (i < src.length() && src.charAt(i) == '.') {
                int start = ++i;
                while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_'
                        || src.charAt(i) == '-')) {
                    i++;
                }
                if (start == i) {
                    if (keys.isEmpty()) {
                        return keys;
                    }
                    throw new TemplateException("template: bad field name after \".\" at " + pos);
                }
                keys.add(src.substring(start, i));
            }
            return keys;
        }

        private Token field() throws TemplateException {
            int start = i;
            List<String> keys = chain();
            return new Token(Kind.FIELD, src.substring(start, i), List.copyOf(keys), null);
        }

        private Token variable() throws TemplateException {
            int start = i++;
            while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
                i++;
            }
            String name = src.substring(start, i);
            List<String> keys = chain();
            return new Token(Kind.VARIABLE, name, List.copyOf(keys), null);
        }

        private Token number() throws TemplateException {
            int start = i;
            i++;
            while (i < src.length() && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '.'
                    || src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
                i++;
            }
            while (i < src.length() && Character.isLetterOrDigit(src.charAt(i))) {
                i++;
            }
            String text = src.substring(start, i);
            try {
                Object value = text.contains(".") || text.contains("e") || text.contains("E")
                        ? (Object) new BigDecimal(text).doubleValue() : (Object) Long.parseLong(text);
                return new Token(Kind.NUMBER, text, List.of(), value);
            } catch (NumberFormatException e) {
                throw new TemplateException("template: bad number syntax: \"" + text + "\" at " + pos);
            }
        }

        private Token raw() throws TemplateException {
            int close = src.indexOf('`', i + 1);
            if (close < 0) {
                throw new TemplateException("template: unterminated raw quoted string at " + pos);
            }
            String text = src.substring(i + 1, close);
            i = close + 1;
            return new Token(Kind.STRING, text, List.of(), text);
        }

        private Token quoted() throws TemplateException {
            StringBuilder value = new StringBuilder();
            int start = i++;
            while (true) {
                if (i >= src.length() || src.charAt(i) == '\n') {
                    throw new TemplateException("template: unterminated quoted string at " + pos);
                }
                char c = src.charAt(i++);
                if (c == '"') {
                    break;
                }
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                if (i >= src.length()) {
                    throw new TemplateException("template: unterminated quoted string at " + pos);
                }
                char e = src.charAt(i++);
                switch (e) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case '"' -> value.append('"');
                    case '\\' -> value.append('\\');
                    case 'u' -> {
                        if (i + 4 > src.length()) {
                            throw new TemplateException("template: bad \\u escape at " + pos);
                        }
                        value.append((char) Integer.parseInt(src.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw new TemplateException("template: unknown escape \\" + e + " at " + pos);
                }
            }
            return new Token(Kind.STRING, src.substring(start, i), List.of(), value.toString());
        }
    }
}
