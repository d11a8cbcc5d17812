package dev.arkonis.ark.gotemplate;

/** A template that does not parse, or fails while rendering; the message says what and where. */
public class TemplateException extends Exception {
    public TemplateException(String message) {
        super(message);
    }
}
