package dev.arkonis.ark.api;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the status of every ark object has: conditions, which a failed reconcile adds to whatever else it says. */
public interface ArkStatus<S extends ArkStatus<S>> {
    List<Condition> conditions();

    /** The same status with these conditions. */
    S withConditions(List<Condition> conditions);
}
