package dev.arkonis.ark.operator.run;

/** Sizes and cuts of text in UTF-8 bytes, the unit the API server's size limit counts in. */
final class Utf8 {
    private Utf8() {
    }

    static int length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The longest start of {@code text} that takes at most {@code maxBytes}, never splitting a character. */
    static String cut(String text, int maxBytes) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int size;
            int width = 1;
            if (c < 0x80) {
                size = 1;
            } else if (c < 0x800) {
                size = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                size = 4;
                width = 2;
            } else {
                size = 3;
            }
            if (bytes + size > maxBytes) {
                return text.substring(0, i);
            }
            bytes += size;
            i += width - 1;
        }
        return text;
    }
}
