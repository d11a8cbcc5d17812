package dev.arkonis.ark.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Sets one condition in a status' list, keeping its lastTransitionTime unless its status flips. */
public final class StatusConditions {
    private StatusConditions() {
    }

    public static List<Condition> set(List<Condition> existing, String type, boolean status, String reason,
            String message, Long generation, Instant now) {
        List<Condition> result = new ArrayList<>();
        String value = status ? "True" : "False";
        String transition = now.truncatedTo(ChronoUnit.SECONDS).toString();
        boolean replaced = false;
        for (Condition c : existing == null ? List.<Condition>of() : existing) {
            if (!Objects.equals(c.getType(), type)) {
                result.add(c);
                continue;
            }
            replaced = true;
            if (Objects.equals(c.getStatus(), value) && c.getLastTransitionTime() != null) {
                transition = c.getLastTransitionTime();
            }
            result.add(condition(type, value, reason, message, generation, transition));
        }
        if (!replaced) {
            result.add(condition(type, value, reason, message, generation, transition));
        }
        return result;
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return conditions != null && conditions.stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Condition condition(String type, String status, String reason, String message, Long generation,
            String transition) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(transition).build();
    }
}
