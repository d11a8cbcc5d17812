package dev.arkonis.ark.queue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task as it travels on a role's stream.
 *
 * @param outputSchema JSON Schema string or null
 * @param deadline     when the task must end, or null
 * @param maxTokens    per-call token cap for this task, or 0 for the agent's own
 * @param traceparent  W3C trace context or null
 * @param extra        any other fields (run, step, attempt, ...), copied into the result untouched
 * @param delegates    roles the model may hand work to with the built-in delegate tool (empty: no such tool)
 * @param route        the capabilities (a JSON array of {id, description, tags}) a router call chooses among, or null
 */
public record TaskMessage(
        String task,
        String prompt,
        String replyTo,
        String outputSchema,
        Instant deadline,
        int maxTokens,
        String traceparent,
        Map<String, String> extra,
        List<String> delegates,
        String route) {

    public static final String TASK = "task";
    public static final String PROMPT = "prompt";
    public static final String REPLY_TO = "replyTo";
    public static final String OUTPUT_SCHEMA = "outputSchema";
    public static final String DEADLINE = "deadline";
    public static final String MAX_TOKENS = "maxTokens";
    public static final String TRACEPARENT = "traceparent";
    public static final String DELEGATES = "delegates";
    public static final String ROUTE = "route";

    /** Fields with a meaning to the agent; everything else is copied to the result. */
    public static final Set<String> KNOWN_FIELDS =
            Set.of(TASK, PROMPT, REPLY_TO, OUTPUT_SCHEMA, DEADLINE, MAX_TOKENS, TRACEPARENT, DELEGATES, ROUTE);

    public TaskMessage {
        require(TASK, task);
        require(PROMPT, prompt);
        require(REPLY_TO, replyTo);
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be >= 0");
        }
        extra = Map.copyOf(extra == null ? Map.of() : extra);
        delegates = delegates == null ? List.of() : List.copyOf(delegates);
        for (String key : extra.keySet()) {
            if (KNOWN_FIELDS.contains(key)) {
                throw new IllegalArgumentException("extra field '" + key + "' clashes with a task field");
            }
        }
    }

    /** The minimal task; add the rest with the with-methods. */
    public static TaskMessage of(String task, String prompt, String replyTo) {
        return new TaskMessage(task, prompt, replyTo, null, null, 0, null, Map.of(), List.of(), null);
    }

    public TaskMessage withDeadline(Instant value) {
        return new TaskMessage(task, prompt, replyTo, outputSchema, value, maxTokens, traceparent, extra, delegates, route);
    }

    public TaskMessage withOutputSchema(String value) {
        return new TaskMessage(task, prompt, replyTo, value, deadline, maxTokens, traceparent, extra, delegates, route);
    }

    public TaskMessage withMaxTokens(int value) {
        return new TaskMessage(task, prompt, replyTo, outputSchema, deadline, value, traceparent, extra, delegates, route);
    }

    public TaskMessage withTraceparent(String value) {
        return new TaskMessage(task, prompt, replyTo, outputSchema, deadline, maxTokens, value, extra, delegates, route);
    }

    public TaskMessage withExtra(Map<String, String> value) {
        return new TaskMessage(task, prompt, replyTo, outputSchema, deadline, maxTokens, traceparent, value, delegates,
                route);
    }

    /** The roles its model may delegate to, and the capabilities (JSON) a router call chooses among. */
    public TaskMessage withBuiltinTools(List<String> roles, String capabilities) {
        return new TaskMessage(task, prompt, replyTo, outputSchema, deadline, maxTokens, traceparent, extra, roles,
                capabilities);
    }

    /** Stream fields in wire order; optional fields are left out when unset. */
    public Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(TASK, task);
        fields.put(PROMPT, prompt);
        fields.put(REPLY_TO, replyTo);
        if (outputSchema != null) {
            fields.put(OUTPUT_SCHEMA, outputSchema);
        }
        if (deadline != null) {
            fields.put(DEADLINE, Long.toString(deadline.toEpochMilli()));
        }
        if (maxTokens > 0) {
            fields.put(MAX_TOKENS, Integer.toString(maxTokens));
        }
        if (traceparent != null) {
            fields.put(TRACEPARENT, traceparent);
        }
        if (!delegates.isEmpty()) {
            fields.put(DELEGATES, String.join(",", delegates));
        }
        if (route != null) {
            fields.put(ROUTE, route);
        }
        fields.putAll(extra);
        return fields;
    }

    /** Parses stream fields; a missing or unparsable field is a {@link MalformedTaskException}. */
    public static TaskMessage fromFields(Map<String, String> fields) throws MalformedTaskException {
        Map<String, String> extra = new LinkedHashMap<>(fields);
        KNOWN_FIELDS.forEach(extra::remove);
        try {
            return new TaskMessage(
                    present(fields, TASK),
                    present(fields, PROMPT),
                    present(fields, REPLY_TO),
                    blankToNull(fields.get(OUTPUT_SCHEMA)),
                    parseDeadline(fields.get(DEADLINE)),
                    parseMaxTokens(fields.get(MAX_TOKENS)),
                    blankToNull(fields.get(TRACEPARENT)),
                    extra,
                    list(fields.get(DELEGATES)),
                    blankToNull(fields.get(ROUTE)));
        } catch (IllegalArgumentException e) {
            throw new MalformedTaskException(e.getMessage());
        }
    }

    private static String present(Map<String, String> fields, String name) throws MalformedTaskException {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new MalformedTaskException("missing field " + name);
        }
        return value;
    }

    private static Instant parseDeadline(String value) throws MalformedTaskException {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw new MalformedTaskException("deadline is not epoch milliseconds: " + value);
        }
    }

    private static int parseMaxTokens(String value) throws MalformedTaskException {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new MalformedTaskException("maxTokens is not an integer: " + value);
        }
    }

    private static List<String> list(String value) {
        return value == null || value.isBlank() ? List.of()
                : java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static void require(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing field " + name);
        }
    }
}
