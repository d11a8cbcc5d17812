package dev.arkonis.ark.flow.template;
/** TEMPORARY STUB. */
public class TemplateException extends Exception { public TemplateException(String m) { super(m); } }
