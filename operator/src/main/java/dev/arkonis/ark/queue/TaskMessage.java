package dev.arkonis.ark.queue;

import java.time.Instant;
import java.util.LinkedHashMap;
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
 */
public record TaskMessage(
        String task,
        String prompt,
        String replyTo,
        String outputSchema,
        Instant deadline,
        int maxTokens,
        String traceparent,
        Map<String, String> extra) {

    public static final String TASK = "task";
    public static final String PROMPT = "prompt";
    public static final String REPLY_TO = "replyTo";
    public static final String OUTPUT_SCHEMA = "outputSchema";
    public static final String DEADLINE = "deadline";
    public static final String MAX_TOKENS = "maxTokens";
    public static final String TRACEPARENT = "traceparent";

    /** Fields with a meaning to the agent; everything else is copied to the result. */
    public static final Set<String> KNOWN_FIELDS =
            Set.of(TASK, PROMPT, REPLY_TO, OUTPUT_SCHEMA, DEADLINE, MAX_TOKENS, TRACEPARENT);

    public TaskMessage {
        require(TASK, task);
        require(PROMPT, prompt);
        require(REPLY_TO, replyTo);
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be >= 0");
        }
        extra = Map.copyOf(extra == null ? Map.of() : extra);
        for (String key : extra.keySet()) {
            if (KNOWN_FIELDS.contains(key)) {
                throw new IllegalArgumentException("extra field '" + key + "' clashes with a task field");
            }
        }
    }

    /** The minimal task; add the rest with the with-methods. */
    public static TaskMessage of(String task, String prompt, String replyTo) {
        return new TaskMessage(task, prompt, replyTo, null, null, 0, null, Map.of());
    }

    public TaskMessage withDeadline(Instant value) {
        return new TaskMessage(task, prompt, replyTo, outputSchema, value, maxTokens, traceparent, extra);
    }

    public TaskMessage withOutputSchema(String value) {
        return new TaskMessage(task, prompt, replyTo, value, deadline, maxTokens, traceparent, extra);
    }

    public TaskMessage withMaxTokens(int value) {
        return new TaskMessage(task, prompt, replyTo, outputSchema, deadline, value, traceparent, extra);
    }

    public TaskMessage withTraceparent(String value) {
        return new TaskMessage(task, prompt, replyTo, outputSchema, deadline, maxTokens, value, extra);
    }

    public TaskMessage withExtra(Map<String, String> value) {
        return new TaskMessage(task, prompt, replyTo, outputSchema, deadline, maxTokens, traceparent, value);
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
                    extra);
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

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static void require(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing field " + name);
        }
    }
}
