package dev.arkonis.ark.gotemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Splits a template into items, as Go's text/template/parse lexer does: text, delimiters and the words of actions. */
final class Lexer {
    enum Type {
        TEXT, LEFT_DELIM, RIGHT_DELIM, SPACE, BOOL, CHAR, CHAR_CONSTANT, ASSIGN, DECLARE, FIELD, IDENTIFIER,
        LEFT_PAREN, RIGHT_PAREN, NUMBER, COMPLEX, PIPE, RAW_STRING, STRING, VARIABLE, EOF,
        // keywords
        BLOCK, BREAK, CONTINUE, DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH
    }

    record Item(Type type, String text, int offset) {
    }

    private static final Map<String, Type> KEYWORDS = Map.ofEntries(Map.entry("block", Type.BLOCK),
            Map.entry("break", Type.BREAK), Map.entry("continue", Type.CONTINUE), Map.entry("define", Type.DEFINE),
            Map.entry("else", Type.ELSE), Map.entry("end", Type.END), Map.entry("if", Type.IF),
            Map.entry("nil", Type.NIL), Map.entry("range", Type.RANGE), Map.entry("template", Type.TEMPLATE),
            Map.entry("with", Type.WITH));
    private static final Item SPACE = new Item(Type.SPACE, " ", 0);
    private static final String LEFT = "{{";
    private static final String RIGHT = "}}";

    private final String input;
    private final List<Item> items;
    private int start;
    private int pos;
    private int parenDepth;

    private Lexer(String input) {
        this.input = input;
        this.items = new ArrayList<>(input.length() / 3 + 8);
    }

    /** Every item up to EOF; a lexical error throws with the offset it happened at. */
    static List<Item> lex(String input) throws TemplateException {
        Lexer lexer = new Lexer(input);
        lexer.run();
        return lexer.items;
    }

    private void run() throws TemplateException {
        while (lexText()) {
            if (!lexLeftDelim()) {
                continue;
            }
            while (!lexInsideAction()) {
                // one item per turn until the right delimiter
            }
        }
        emit(Type.EOF);
    }

    // ---- text and delimiters

    /** Text up to the next left delimiter; false at the end of the input. */
    private boolean lexText() {
        int x = input.indexOf(LEFT, pos);
        if (x < 0) {
            pos = input.length();
            if (pos > start) {
                emit(Type.TEXT);
            }
            return false;
        }
        if (x > pos) {
            pos = x;
            int trim = hasLeftTrimMarker(x + LEFT.length()) ? rightTrimLength(start, pos) : 0;
            pos -= trim;
            if (pos > start) {
                emit(Type.TEXT);
            }
            pos += trim;
            start = pos;
        }
        return true;
    }

    /** A left delimiter, or a whole comment; true when an action follows. */
    private boolean lexLeftDelim() throws TemplateException {
        pos += LEFT.length();
        int afterMarker = hasLeftTrimMarker(pos) ? 2 : 0;
        if (input.startsWith("/*", pos + afterMarker)) {
            pos += afterMarker;
            start = pos;
            lexComment();
            return false;
        }
        emit(Type.LEFT_DELIM);
        pos += afterMarker;
        start = pos;
        parenDepth = 0;
        return true;
    }

    private void lexComment() throws TemplateException {
        pos += 2;
        int x = input.indexOf("*/", pos);
        if (x < 0) {
            throw error("unclosed comment");
        }
        pos = x + 2;
        int delim = atRightDelim();
        if (delim == 0) {
            throw error("comment ends before closing delimiter");
        }
        pos += delim == 2 ? 2 + RIGHT.length() : RIGHT.length();
        if (delim == 2) {
            pos += leftTrimLength(pos);
        }
        start = pos;
    }

    /** 0 when not at a right delimiter, 1 at "}}", 2 at " -}}". */
    private int atRightDelim() {
        if (pos >= input.length() || (input.charAt(pos) != '}' && !isSpace(input.charAt(pos)))) {
            return 0;
        }
        if (hasRightTrimMarker(pos) && input.startsWith(RIGHT, pos + 2)) {
            return 2;
        }
        return input.startsWith(RIGHT, pos) ? 1 : 0;
    }

    private void lexRightDelim() {
        boolean trim = atRightDelim() == 2;
        if (trim) {
            pos += 2;
            start = pos;
        }
        pos += RIGHT.length();
        emit(Type.RIGHT_DELIM);
        if (trim) {
            pos += leftTrimLength(pos);
            start = pos;
        }
    }

    // ---- inside an action

    /** Lexes one item of an action; true once the right delimiter is consumed. */
    private boolean lexInsideAction() throws TemplateException {
        if (atRightDelim() != 0) {
            if (parenDepth == 0) {
                lexRightDelim();
                return true;
            }
            throw error("unclosed left paren");
        }
        if (pos >= input.length()) {
            throw error("unclosed action");
        }
        int r = next();
        if (isSpace(r)) {
            backup(r);
            return lexSpace();
        }
        switch (r) {
            case '=' -> emit(Type.ASSIGN);
            case ':' -> {
                if (pos >= input.length() || next() != '=') {
                    throw error("expected :=");
                }
                emit(Type.DECLARE);
            }
            case '|' -> emit(Type.PIPE);
            case '"' -> lexQuote('"', Type.STRING, "unterminated quoted string");
            case '`' -> lexRawQuote();
            case '$' -> lexVariable();
            case '\'' -> lexQuote('\'', Type.CHAR_CONSTANT, "unterminated character constant");
            case '(' -> {
                parenDepth++;
                emit(Type.LEFT_PAREN);
            }
            case ')' -> {
                parenDepth--;
                if (parenDepth < 0) {
                    throw error("unexpected right paren");
                }
                emit(Type.RIGHT_PAREN);
            }
            default -> {
                if (r == '.' && pos < input.length() && (input.charAt(pos) < '0' || input.charAt(pos) > '9')) {
                    lexFieldOrVariable(Type.FIELD);
                } else if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
                    backup(r);
                    lexNumber();
                } else if (isAlphaNumeric(r)) {
                    backup(r);
                    lexIdentifier();
                } else if (r < 0x80 && Values.isPrint(r)) {
                    emit(Type.CHAR);
                } else {
                    throw error(String.format("unrecognized character in action: U+%04X", r));
                }
            }
        }
        return false;
    }

    private boolean lexSpace() {
        int spaces = 0;
        while (pos < input.length() && isSpace(input.charAt(pos))) {
            pos++;
            spaces++;
        }
        // a trim-marked right delimiter starts with a space: leave that space to it
        if (hasRightTrimMarker(pos - 1) && input.startsWith(RIGHT, pos + 1)) {
            pos--;
            if (spaces == 1) {
                lexRightDelim();
                return true;
            }
        }
        emit(Type.SPACE);
        return false;
    }

    private void lexIdentifier() throws TemplateException {
        skipAlphaNumerics();
        String word = input.substring(start, pos);
        if (!atTerminator()) {
            throw badCharacter();
        }
        Type keyword = KEYWORDS.get(word);
        if (keyword != null) {
            emit(keyword);
        } else if (word.equals("true") || word.equals("false")) {
            emit(Type.BOOL);
        } else {
            emit(Type.IDENTIFIER);
        }
    }

    private void lexVariable() throws TemplateException {
        if (atTerminator()) {
            emit(Type.VARIABLE);
            return;
        }
        lexFieldOrVariable(Type.VARIABLE);
    }

    private void lexFieldOrVariable(Type type) throws TemplateException {
        if (atTerminator()) {
            emit(type == Type.VARIABLE ? Type.VARIABLE : Type.DOT);
            return;
        }
        skipAlphaNumerics();
        // ".a.b.c" is one item: Go's parser joins the adjacent fields its lexer emits one by one
        while (pos + 1 < input.length() && input.charAt(pos) == '.' && startsName(input.codePointAt(pos + 1))) {
            pos++;
            skipAlphaNumerics();
        }
        if (!atTerminator()) {
            throw badCharacter();
        }
        emit(type);
    }

    private boolean atTerminator() {
        if (pos >= input.length()) {
            return true;
        }
        char r = input.charAt(pos);
        return isSpace(r) || r == '.' || r == ',' || r == '|' || r == ':' || r == ')' || r == '('
                || input.startsWith(RIGHT, pos);
    }

    private void lexQuote(char quote, Type type, String unterminated) throws TemplateException {
        while (true) {
            if (pos >= input.length()) {
                throw error(unterminated);
            }
            char c = input.charAt(pos++);
            if (c == '\\') {
                if (pos >= input.length() || input.charAt(pos) == '\n') {
                    throw error(unterminated);
                }
                pos++;
            } else if (c == '\n') {
                throw error(unterminated);
            } else if (c == quote) {
                break;
            }
        }
        emit(type);
    }

    private void lexRawQuote() throws TemplateException {
        int close = input.indexOf('`', pos);
        if (close < 0) {
            throw error("unterminated raw quoted string");
        }
        pos = close + 1;
        emit(Type.RAW_STRING);
    }

    private void lexNumber() throws TemplateException {
        if (!scanNumber()) {
            throw error("bad number syntax: \"" + input.substring(start, pos) + "\"");
        }
        if (pos < input.length() && (input.charAt(pos) == '+' || input.charAt(pos) == '-')) {
            // complex: 1+2i, no spaces, must end in 'i'
            if (!scanNumber() || input.charAt(pos - 1) != 'i') {
                throw error("bad number syntax: \"" + input.substring(start, pos) + "\"");
            }
            emit(Type.COMPLEX);
            return;
        }
        emit(Type.NUMBER);
    }

    private boolean scanNumber() {
        accept("+-");
        String digits = "0123456789_";
        if (accept("0")) {
            if (accept("xX")) {
                digits = "0123456789abcdefABCDEF_";
            } else if (accept("oO")) {
                digits = "01234567_";
            } else if (accept("bB")) {
                digits = "01_";
            }
        }
        acceptRun(digits);
        if (accept(".")) {
            acceptRun(digits);
        }
        if (digits.length() == 11 && accept("eE")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        if (digits.length() == 23 && accept("pP")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        accept("i");
        if (pos < input.length() && isAlphaNumeric(input.codePointAt(pos))) {
            next();
            return false;
        }
        return true;
    }

    // ---- helpers

    private void skipAlphaNumerics() {
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (c < 0x80) {
                if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                    return;
                }
                pos++;
            } else if (isAlphaNumeric(input.codePointAt(pos))) {
                next();
            } else {
                return;
            }
        }
    }

    private boolean accept(String valid) {
        if (pos < input.length() && valid.indexOf(input.charAt(pos)) >= 0) {
            pos++;
            return true;
        }
        return false;
    }

    private void acceptRun(String valid) {
        while (accept(valid)) {
            // absorb
        }
    }

    private int next() {
        int r = input.codePointAt(pos);
        pos += Character.charCount(r);
        return r;
    }

    private void backup(int r) {
        pos -= Character.charCount(r);
    }

    private void emit(Type type) {
        // the parser only skips spaces: one shared item stands for all of them
        items.add(type == Type.SPACE ? SPACE : new Item(type, input.substring(start, pos), start));
        start = pos;
    }

    private TemplateException badCharacter() {
        int r = pos < input.length() ? input.codePointAt(pos) : 0;
        return error(String.format("bad character U+%04X '%s'", r, new String(Character.toChars(r))));
    }

    private TemplateException error(String message) {
        return new TemplateException(Positions.at(input, start) + ": " + message);
    }

    private boolean hasLeftTrimMarker(int at) {
        return at + 1 < input.length() && input.charAt(at) == '-' && isSpace(input.charAt(at + 1));
    }

    private boolean hasRightTrimMarker(int at) {
        return at >= 0 && at + 1 < input.length() && isSpace(input.charAt(at)) && input.charAt(at + 1) == '-';
    }

    private int rightTrimLength(int from, int to) {
        int end = to;
        while (end > from && isSpace(input.charAt(end - 1))) {
            end--;
        }
        return to - end;
    }

    private int leftTrimLength(int from) {
        int end = from;
        while (end < input.length() && isSpace(input.charAt(end))) {
            end++;
        }
        return end - from;
    }

    private static boolean isSpace(int r) {
        return r == ' ' || r == '\t' || r == '\r' || r == '\n';
    }

    private static boolean startsName(int r) {
        return r == '_' || Character.isLetter(r);
    }

    static boolean isAlphaNumeric(int r) {
        return r == '_' || Character.isLetter(r) || Character.isDigit(r);
    }
}
