package dev.arkonis.ark.queue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A delegate call as it travels: the agent adds it to its task's {@code replyTo} stream (the role's own
 * {@code <key>.results}) with the task's copied fields, so the operator routes it to the run as it does a result; the
 * answer comes back on the list {@link RoleKeys#reply} of the calling role, which the agent waits on.
 */
public record DelegationCall(String task, int call, String target, String prompt, String agent, Map<String, String> copied) {
    /** Marks a result-stream entry as a delegate call, not a result. */
    public static final String KIND = "kind";
    public static final String DELEGATE = "delegate";
    public static final String CALL = "call";
    public static final String TARGET = "target";
    public static final String PROMPT = "prompt";

    public DelegationCall {
        copied = Map.copyOf(copied == null ? Map.of() : copied);
    }

    public static boolean isDelegation(Map<String, String> fields) {
        return DELEGATE.equals(fields.get(KIND));
    }

    public Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        copied.forEach((k, v) -> {
            if (!TaskResult.RESULT_FIELDS.contains(k) && !k.equals(KIND) && !k.equals(CALL) && !k.equals(TARGET)
                    && !k.equals(PROMPT)) {
                fields.put(k, v);
            }
        });
        fields.put(KIND, DELEGATE);
        fields.put("task", task);
        fields.put(CALL, Integer.toString(call));
        fields.put(TARGET, target == null ? "" : target);
        fields.put(PROMPT, prompt == null ? "" : prompt);
        fields.put("agent", agent == null ? "" : agent);
        return fields;
    }

    public static DelegationCall fromFields(Map<String, String> fields) {
        Map<String, String> copied = new LinkedHashMap<>(fields);
        for (String known : new String[] {KIND, "task", CALL, TARGET, PROMPT, "agent"}) {
            copied.remove(known);
        }
        int call;
        try {
            call = Integer.parseInt(fields.getOrDefault(CALL, "0"));
        } catch (NumberFormatException e) {
            call = 0; // no call of any task: the engine ignores it
        }
        return new DelegationCall(fields.getOrDefault("task", ""), call, fields.get(TARGET), fields.get(PROMPT),
                fields.get("agent"), copied);
    }
}
