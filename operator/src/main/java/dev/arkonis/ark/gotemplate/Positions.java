package dev.arkonis.ark.gotemplate;

/** Where an offset of a template is, in the words error messages use. */
final class Positions {
    private Positions() {
    }

    static String at(String source, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "template: line " + line + ", col " + (offset - lineStart + 1);
    }
}
