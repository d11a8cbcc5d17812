package dev.arkonis.ark.gotemplate;

/** Go's strconv.Quote, QuoteToASCII, QuoteRune and CanBackquote, for %q and %#q. */
final class GoQuote {
    private static final String HEX = "0123456789abcdef";

    private GoQuote() {
    }

    static String quote(String s, boolean asciiOnly) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(cp -> escaped(out, cp, '"', asciiOnly));
        return out.append('"').toString();
    }

    static String quoteRune(int cp, boolean asciiOnly) {
        StringBuilder out = new StringBuilder("'");
        escaped(out, cp, '\'', asciiOnly);
        return out.append('\'').toString();
    }

    /** Whether %#q may print the string between backquotes: no backquote, no control character but tab. */
    static boolean canBackquote(String s) {
        return s.codePoints().allMatch(cp -> cp != '`' && cp != 0xFEFF && cp != 0xFFFD && (cp >= ' ' || cp == '\t')
                && cp != 0x7F);
    }

    private static void escaped(StringBuilder out, int cp, char quote, boolean asciiOnly) {
        if (cp == quote || cp == '\\') {
            out.append('\\').appendCodePoint(cp);
            return;
        }
        if (asciiOnly ? cp < 0x80 && Values.isPrint(cp) : Values.isPrint(cp)) {
            out.appendCodePoint(cp);
            return;
        }
        switch (cp) {
            case 0x07 -> out.append("\\a");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0x0B -> out.append("\\v");
            default -> {
                if (cp < ' ' || cp == 0x7F) {
                    out.append("\\x").append(HEX.charAt(cp >> 4)).append(HEX.charAt(cp & 0xF));
                } else if (cp < 0x10000) {
                    out.append("\\u");
                    hex(out, cp, 4);
                } else {
                    out.append("\\U");
                    hex(out, cp, 8);
                }
            }
        }
    }

    private static void hex(StringBuilder out, int cp, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX.charAt((cp >> shift) & 0xF));
        }
    }
}
