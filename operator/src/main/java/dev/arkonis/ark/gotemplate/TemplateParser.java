package dev.arkonis.ark.gotemplate;

import dev.arkonis.ark.gotemplate.Lexer.Item;
import dev.arkonis.ark.gotemplate.Lexer.Type;
import dev.arkonis.ark.gotemplate.Node.Arg;
import dev.arkonis.ark.gotemplate.Node.Command;
import dev.arkonis.ark.gotemplate.Node.Control;
import dev.arkonis.ark.gotemplate.Node.Pipe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Go's text/template parser (the nodes it builds are not copied again: nothing changes them after parsing): the same grammar, the same checks at parse time (unknown functions, undefined
 * variables, break outside range, misplaced else and end) and the same named templates (define, block). Also
 * collects the field chains read from the root data, for validation.
 */
final class TemplateParser {
    private final String source;
    private final List<Item> items;
    private int next;
    private List<String> vars = new ArrayList<>(List.of("$"));
    private int rangeDepth;
    private final Map<String, List<Node>> templates = new HashMap<>();
    // few per template: a list with an equality check is cheaper than hashing every key
    private final List<List<String>> rootChains = new ArrayList<>();
    // range and with bodies move the dot off the root; define bodies have a dot (and $) of their own
    private int dotDepth;
    private boolean inDefinition;

    private TemplateParser(String source, List<Item> items) {
        this.source = source;
        this.items = items;
    }

    record Parsed(List<Node> root, Map<String, List<Node>> templates, List<List<String>> rootChains) {
    }

    static Parsed parse(String source) throws TemplateException {
        TemplateParser parser = new TemplateParser(source, Lexer.lex(source));
        List<Node> root = parser.parseTop();
        return new Parsed(root, parser.templates, List.copyOf(parser.rootChains));
    }

    private List<Node> parseTop() throws TemplateException {
        List<Node> root = new ArrayList<>();
        while (peek().type() != Type.EOF) {
            if (peek().type() == Type.LEFT_DELIM) {
                int delim = next;
                next();
                if (nextNonSpace().type() == Type.DEFINE) {
                    parseDefinition();
                    continue;
                }
                next = delim;
            }
            Piece piece = textOrAction();
            if (piece.ending() != null) {
                throw error(piece.ending().offset(), "unexpected {{" + piece.ending().keyword() + "}}");
            }
            root.add(piece.node());
        }
        return root;
    }

    private void parseDefinition() throws TemplateException {
        Item name = nextNonSpace();
        if (name.type() != Type.STRING && name.type() != Type.RAW_STRING) {
            throw unexpected(name, "define clause");
        }
        expect(Type.RIGHT_DELIM, "define clause");
        List<String> outerVars = vars;
        int outerRangeDepth = rangeDepth;
        vars = new ArrayList<>(List.of("$"));
        rangeDepth = 0;
        inDefinition = true;
        List<Node> body = new ArrayList<>();
        Ending end = itemList(body, "define", name.offset());
        if (!end.keyword().equals("end")) {
            throw error(end.offset(), "unexpected {{" + end.keyword() + "}} in define clause");
        }
        inDefinition = false;
        vars = outerVars;
        rangeDepth = outerRangeDepth;
        define(unquote(name), body, name.offset());
    }

    private void define(String name, List<Node> body, int offset) throws TemplateException {
        List<Node> existing = templates.get(name);
        if (existing != null && !isEmpty(existing) && !isEmpty(body)) {
            throw error(offset, "template: multiple definition of template \"" + name + "\"");
        }
        if (existing == null || isEmpty(existing)) {
            templates.put(name, body);
        }
    }

    private static boolean isEmpty(List<Node> nodes) {
        return nodes.stream().allMatch(n -> n instanceof Node.Text t && t.text().isBlank());
    }

    /** {@code {{end}}} or {@code {{else}}}, which close a list. */
    private record Ending(String keyword, int offset) {
    }

    /** What one text or action parsed to: a node, or the ending of the list it is in. */
    private record Piece(Node node, Ending ending) {
        Piece(Node node) {
            this(node, null);
        }

        Piece(Ending ending) {
            this(null, ending);
        }
    }

    /** The nodes up to {@code {{end}}} or {@code {{else}}} of the block {@code opener} started at {@code offset}. */
    private Ending itemList(List<Node> into, String opener, int offset) throws TemplateException {
        while (peekNonSpace().type() != Type.EOF) {
            Piece piece = textOrAction();
            if (piece.ending() != null) {
                return piece.ending();
            }
            into.add(piece.node());
        }
        throw error(peek().offset(), "unexpected EOF: {{" + opener + "}} at "
                + Positions.at(source, offset).substring("template: ".length()) + " has no {{end}}");
    }

    private Piece textOrAction() throws TemplateException {
        Item item = nextNonSpace();
        return switch (item.type()) {
            case TEXT -> new Piece(new Node.Text(item.text()));
            case LEFT_DELIM -> action();
            default -> throw unexpected(item, "input");
        };
    }

    private Piece action() throws TemplateException {
        Item item = nextNonSpace();
        switch (item.type()) {
            case BLOCK -> {
                return new Piece(blockControl(item));
            }
            case BREAK, CONTINUE -> {
                String keyword = item.text();
                Item close = nextNonSpace();
                if (close.type() != Type.RIGHT_DELIM) {
                    throw unexpected(close, "{{" + keyword + "}}");
                }
                if (rangeDepth == 0) {
                    throw error(item.offset(), "{{" + keyword + "}} outside {{range}}");
                }
                return new Piece(item.type() == Type.BREAK ? new Node.Break(item.offset()) : new Node.Continue(item.offset()));
            }
            case ELSE -> {
                Item peek = peekNonSpace();
                if (peek.type() == Type.IF || peek.type() == Type.WITH) {
                    return new Piece(new Ending("else", item.offset()));
                }
                expect(Type.RIGHT_DELIM, "else");
                return new Piece(new Ending("else", item.offset()));
            }
            case END -> {
                expect(Type.RIGHT_DELIM, "end");
                return new Piece(new Ending("end", item.offset()));
            }
            case IF -> {
                return new Piece(control(Control.Kind.IF, item));
            }
            case RANGE -> {
                return new Piece(control(Control.Kind.RANGE, item));
            }
            case WITH -> {
                return new Piece(control(Control.Kind.WITH, item));
            }
            case TEMPLATE -> {
                Item name = nextNonSpace();
                if (name.type() != Type.STRING && name.type() != Type.RAW_STRING) {
                    throw unexpected(name, "template clause");
                }
                Pipe pipe = null;
                if (nextNonSpace().type() != Type.RIGHT_DELIM) {
                    next--;
                    pipe = pipeline("template clause", Type.RIGHT_DELIM);
                }
                return new Piece(new Node.Call(item.offset(), unquote(name), pipe));
            }
            default -> {
                next--;
                return new Piece(new Node.Action(item.offset(), pipeline("command", Type.RIGHT_DELIM)));
            }
        }
    }

    private Node blockControl(Item keyword) throws TemplateException {
        Item name = nextNonSpace();
        if (name.type() != Type.STRING && name.type() != Type.RAW_STRING) {
            throw unexpected(name, "block clause");
        }
        Pipe pipe = pipeline("block clause", Type.RIGHT_DELIM);
        List<String> outerVars = vars;
        int outerRangeDepth = rangeDepth;
        boolean outerDefinition = inDefinition;
        vars = new ArrayList<>(List.of("$"));
        rangeDepth = 0;
        inDefinition = true;
        List<Node> body = new ArrayList<>();
        Ending end = itemList(body, "block", keyword.offset());
        if (!end.keyword().equals("end")) {
            throw error(end.offset(), "unexpected {{" + end.keyword() + "}} in block clause");
        }
        vars = outerVars;
        rangeDepth = outerRangeDepth;
        inDefinition = outerDefinition;
        String templateName = unquote(name);
        define(templateName, body, name.offset());
        return new Node.Call(keyword.offset(), templateName, pipe);
    }

    private Node control(Control.Kind kind, Item keyword) throws TemplateException {
        int varsBefore = vars.size();
        String context = kind.name().toLowerCase(java.util.Locale.ROOT);
        Pipe pipe = pipeline(context, Type.RIGHT_DELIM);
        boolean movesDot = kind != Control.Kind.IF;
        if (kind == Control.Kind.RANGE) {
            rangeDepth++;
        }
        if (movesDot) {
            dotDepth++;
        }
        List<Node> list = new ArrayList<>();
        Ending ending = itemList(list, context, keyword.offset());
        if (movesDot) {
            dotDepth--;
        }
        if (kind == Control.Kind.RANGE) {
            rangeDepth--;
        }
        List<Node> elseList = null;
        if (ending.keyword().equals("else")) {
            elseList = new ArrayList<>();
            // {{else if}} and {{else with}} open a nested control that the single {{end}} closes
            if (kind == Control.Kind.IF && peek().type() == Type.IF) {
                elseList.add(control(Control.Kind.IF, next()));
            } else if (kind == Control.Kind.WITH && peek().type() == Type.WITH) {
                elseList.add(control(Control.Kind.WITH, next()));
            } else {
                Ending end = itemList(elseList, context, keyword.offset());
                if (!end.keyword().equals("end")) {
                    throw error(end.offset(), "expected end; found {{" + end.keyword() + "}}");
                }
            }
        }
        vars = new ArrayList<>(vars.subList(0, varsBefore));
        return new Control(kind, keyword.offset(), pipe, list, elseList);
    }

    private Pipe pipeline(String context, Type end) throws TemplateException {
        int offset = peekNonSpace().offset();
        boolean isAssign = false;
        List<String> decl = new ArrayList<>(2);
        decls:
        while (peekNonSpace().type() == Type.VARIABLE) {
            int variableAt = next;
            Item v = nextNonSpace();
            Item after = peekNonSpace();
            if (after.type() == Type.ASSIGN || after.type() == Type.DECLARE) {
                isAssign = after.type() == Type.ASSIGN;
                nextNonSpace();
                decl.add(v.text());
                vars.add(v.text());
                break;
            }
            if (after.type() == Type.CHAR && after.text().equals(",")) {
                nextNonSpace();
                decl.add(v.text());
                vars.add(v.text());
                if (context.equals("range") && decl.size() < 2) {
                    Type t = peekNonSpace().type();
                    if (t == Type.VARIABLE || t == Type.RIGHT_DELIM || t == Type.RIGHT_PAREN) {
                        continue decls;
                    }
                    throw error(after.offset(), "range can only initialize variables");
                }
                throw error(after.offset(), "too many declarations in " + context);
            }
            next = variableAt;
            break;
        }
        List<Command> cmds = new ArrayList<>(2);
        while (true) {
            Item item = nextNonSpace();
            if (item.type() == end) {
                if (cmds.isEmpty()) {
                    throw error(item.offset(), "missing value for " + context);
                }
                for (int i = 1; i < cmds.size(); i++) {
                    Arg first = cmds.get(i).args().get(0);
                    if (first instanceof Node.Bool || first instanceof Node.Dot || first instanceof Node.Nil
                            || first instanceof Node.Number || first instanceof Node.Str) {
                        throw error(first.offset(), "non executable command in pipeline stage " + (i + 1));
                    }
                }
                return new Pipe(offset, isAssign, decl, cmds);
            }
            switch (item.type()) {
                case BOOL, CHAR_CONSTANT, COMPLEX, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING, VARIABLE,
                        LEFT_PAREN -> {
                    next--;
                    cmds.add(command());
                }
                default -> throw unexpected(item, context);
            }
        }
    }

    private Command command() throws TemplateException {
        int offset = peekNonSpace().offset();
        List<Arg> args = new ArrayList<>(4);
        while (true) {
            peekNonSpace();
            Arg operand = operand();
            if (operand != null) {
                args.add(operand);
            }
            Item item = next();
            if (item.type() == Type.SPACE) {
                continue;
            }
            if (item.type() == Type.RIGHT_DELIM || item.type() == Type.RIGHT_PAREN) {
                next--;
            } else if (item.type() != Type.PIPE) {
                throw unexpected(item, "operand");
            }
            break;
        }
        if (args.isEmpty()) {
            throw error(offset, "empty command");
        }
        return new Command(offset, args);
    }

    private Arg operand() throws TemplateException {
        Arg node = term();
        if (node == null) {
            return null;
        }
        if (peek().type() == Type.FIELD) {
            // keys read from the value of the term: a field or variable takes them on, any other term starts a Chain
            List<String> fields = node instanceof Node.Field f ? f.idents()
                    : node instanceof Node.Variable v ? v.idents() : new ArrayList<>(2);
            while (peek().type() == Type.FIELD) {
                addKeys(fields, next().text(), 1);
            }
            if (node instanceof Node.Bool || node instanceof Node.Str || node instanceof Node.Number
                    || node instanceof Node.Nil || node instanceof Node.Dot) {
                throw error(node.offset(), "unexpected . after term \"" + node + "\"");
            }
            if (!(node instanceof Node.Field || node instanceof Node.Variable)) {
                node = new Node.Chain(node.offset(), node, fields);
            }
        }
        noteRootChain(node);
        return node;
    }

    private Arg term() throws TemplateException {
        Item item = nextNonSpace();
        switch (item.type()) {
            case IDENTIFIER -> {
                if (!Functions.exists(item.text())) {
                    throw error(item.offset(), "function \"" + item.text() + "\" not defined");
                }
                return new Node.Identifier(item.offset(), item.text());
            }
            case DOT -> {
                return new Node.Dot(item.offset());
            }
            case NIL -> {
                return new Node.Nil(item.offset());
            }
            case VARIABLE -> {
                String text = item.text();
                int dot = text.indexOf('.');
                String name = dot < 0 ? text : text.substring(0, dot);
                if (!vars.contains(name)) {
                    throw error(item.offset(), "undefined variable \"" + name + "\"");
                }
                List<String> idents = new ArrayList<>(4);
                idents.add(name);
                if (dot >= 0) {
                    addKeys(idents, text, dot + 1);
                }
                return new Node.Variable(item.offset(), idents);
            }
            case FIELD -> {
                List<String> idents = new ArrayList<>(4);
                addKeys(idents, item.text(), 1);
                return new Node.Field(item.offset(), idents);
            }
            case BOOL -> {
                return new Node.Bool(item.offset(), item.text().equals("true"));
            }
            case CHAR_CONSTANT, COMPLEX, NUMBER -> {
                try {
                    return new Node.Number(item.offset(), item.text(),
                            GoLiterals.number(item.text(), item.type() == Type.CHAR_CONSTANT));
                } catch (NumberFormatException e) {
                    throw error(item.offset(), e.getMessage());
                }
            }
            case LEFT_PAREN -> {
                return pipeline("parenthesized pipeline", Type.RIGHT_PAREN);
            }
            case STRING, RAW_STRING -> {
                return new Node.Str(item.offset(), item.text(), unquote(item));
            }
            default -> {
                next--;
                return null;
            }
        }
    }

    /** Notes a chain of keys read from the root data: a field where the dot is the root, or one of {@code $}. */
    private void noteRootChain(Arg node) {
        if (inDefinition) {
            return;
        }
        List<String> chain = null;
        if (node instanceof Node.Field field && dotDepth == 0) {
            chain = field.idents();
        } else if (node instanceof Node.Variable variable && variable.idents().get(0).equals("$")
                && variable.idents().size() > 1) {
            chain = variable.idents().subList(1, variable.idents().size());
        }
        if (chain != null && !rootChains.contains(chain)) {
            rootChains.add(chain);
        }
    }

    /** The dot-separated keys of {@code text} from {@code from} on. */
    private static void addKeys(List<String> into, String text, int from) {
        for (int dot = text.indexOf('.', from); dot >= 0; from = dot + 1, dot = text.indexOf('.', from)) {
            into.add(text.substring(from, dot));
        }
        into.add(text.substring(from));
    }

    private String unquote(Item item) throws TemplateException {
        try {
            return GoLiterals.unquote(item.text());
        } catch (NumberFormatException e) {
            throw error(item.offset(), e.getMessage());
        }
    }

    // ---- items

    private Item peek() {
        return items.get(next);
    }

    private Item next() {
        return items.get(next++);
    }

    private Item nextNonSpace() {
        Item item;
        do {
            item = next();
        } while (item.type() == Type.SPACE);
        return item;
    }

    /** The next item that is not a space, skipping the spaces before it (as Go's parser does). */
    private Item peekNonSpace() {
        Item item = nextNonSpace();
        next--;
        return item;
    }

    private void expect(Type type, String context) throws TemplateException {
        Item item = nextNonSpace();
        if (item.type() != type) {
            throw unexpected(item, context);
        }
    }

    private TemplateException unexpected(Item item, String context) {
        String what = item.type() == Type.EOF ? "EOF" : "\"" + item.text() + "\"";
        return error(item.offset(), "unexpected " + what + " in " + context);
    }

    private TemplateException error(int offset, String message) {
        return new TemplateException(Positions.at(source, offset) + ": " + message);
    }
}
