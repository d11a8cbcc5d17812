package dev.arkonis.ark.flow;

import java.util.Locale;
import java.util.Set;

/** Whether the rendered text of a step's {@code if} lets the step run. */
final class Conditions {
    private static final Set<String> FALSY = Set.of("", "false", "0", "no", "null", "nil", "<no value>");

    private Conditions() {
    }

    static boolean isTrue(String rendered) {
        return !FALSY.contains(rendered.strip().toLowerCase(Locale.ROOT));
    }
}
