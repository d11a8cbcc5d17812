package dev.arkonis.ark.llm.mock;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code [mock:tool NAME]}, {@code [mock:tool NAME {"arg": ...}]} and {@code [mock:delegate ROLE TASK]} markers of
 * a prompt, in order: the tool calls the mock makes, as a real model would when a prompt asks for a tool.
 */
final class ToolMarkers {
    static final String PREFIX = "[mock:tool ";
    static final String DELEGATE = "[mock:delegate ";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** One marker: the tool's name, its arguments as JSON ("{}" when none) and the marker's own text. */
    record Call(String tool, String argumentsJson, String text) {
    }

    private ToolMarkers() {
    }

    static List<Call> in(String prompt) {
        List<Call> calls = new ArrayList<>();
        int at = next(prompt, 0);
        while (at >= 0) {
            if (prompt.startsWith(DELEGATE, at)) {
                int end = prompt.indexOf(']', at);
                if (end < 0) {
                    break;
                }
                String body = prompt.substring(at + DELEGATE.length(), end).strip();
                int space = body.indexOf(' ');
                String role = space < 0 ? body : body.substring(0, space);
                String task = space < 0 ? "" : body.substring(space + 1).strip();
                calls.add(new Call("delegate", JSON.createObjectNode().put("role", role).put("task", task).toString(),
                        prompt.substring(at, end + 1)));
                at = next(prompt, end + 1);
                continue;
            }
            int i = at + PREFIX.length();
            int nameStart = i;
            while (i < prompt.length() && !Character.isWhitespace(prompt.charAt(i)) && prompt.charAt(i) != ']') {
                i++;
            }
            String name = prompt.substring(nameStart, i);
            while (i < prompt.length() && prompt.charAt(i) == ' ') {
                i++;
            }
            String arguments = "{}";
            if (i < prompt.length() && prompt.charAt(i) == '{') {
                int end = endOfObject(prompt, i);
                if (end > i) {
                    arguments = prompt.substring(i, end);
                    i = end;
                }
            }
            if (!name.isEmpty() && i < prompt.length() && prompt.charAt(i) == ']') {
                calls.add(new Call(name, arguments, prompt.substring(at, i + 1)));
            }
            at = next(prompt, i);
        }
        return calls;
    }

    private static int next(String prompt, int from) {
        int tool = prompt.indexOf(PREFIX, from);
        int delegate = prompt.indexOf(DELEGATE, from);
        return tool < 0 ? delegate : delegate < 0 ? tool : Math.min(tool, delegate);
    }

    /** The index after the JSON object starting at {@code start} (braces counted outside strings), or -1. */
    private static int endOfObject(String s, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }
}
