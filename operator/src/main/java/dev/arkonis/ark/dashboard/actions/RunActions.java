package dev.arkonis.ark.dashboard.actions;

import java.util.List;
import java.util.Optional;

/** Every action a run page offers. */
public final class RunActions {
    private static final List<RunAction> ALL = List.of(new RetryRun(), new RetryStep(), new CancelRun(),
            new ApproveStep(), new RejectStep());

    private RunActions() {
    }

    public static List<RunAction> all() {
        return ALL;
    }

    public static Optional<RunAction> named(String name) {
        return ALL.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
