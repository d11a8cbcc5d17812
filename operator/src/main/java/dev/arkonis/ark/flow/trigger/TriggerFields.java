package dev.arkonis.ark.flow.trigger;

import dev.arkonis.ark.api.TriggerSource;
import java.util.Set;

/** The fields of {@code .trigger} a target's input templates can read, by source type. */
public final class TriggerFields {
    private static final Set<String> COMMON = Set.of("name", "namespace", "type", "firedAt");

    private TriggerFields() {
    }

    public static Set<String> of(TriggerSource.Type type) {
        if (type == null) {
            return COMMON;
        }
        return switch (type) {
            case CRON -> union("scheduledAt");
            case WEBHOOK -> union("body");
            case PIPELINE_OUTPUT, TEAM_OUTPUT -> union("output", "run", "team", "phase");
        };
    }

    private static Set<String> union(String... extra) {
        java.util.Set<String> all = new java.util.TreeSet<>(COMMON);
        all.addAll(Set.of(extra));
        return Set.copyOf(all);
    }
}
