package dev.arkonis.ark.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every variable one process reads (the operator, an agent, the CLI), in the order its documentation lists them:
 * the groups its readers declare, each variable declared once in the process.
 */
public record ProcessSettings(String process, List<Setting<?>> settings) {

    public ProcessSettings {
        settings = List.copyOf(settings);
    }

    /**
     * The groups' settings in order. A name is listed once, as its first group says it: a later group may repeat a
     * setting only as it is declared (a process tells what sets it and what it means to it first, then includes the
     * shared group), never with another check or default.
     */
    @SafeVarargs
    public static ProcessSettings of(String process, List<? extends Setting<?>>... groups) {
        Map<String, Setting<?>> byName = new LinkedHashMap<>();
        for (List<? extends Setting<?>> group : groups) {
            for (Setting<?> setting : group) {
                Setting<?> earlier = byName.putIfAbsent(setting.name(), setting);
                if (earlier != null && !(earlier.value().equals(setting.value())
                        && earlier.shown().equals(setting.shown()))) {
                    throw new IllegalStateException(process + " declares " + setting.name() + " twice: "
                            + earlier.value() + " (" + earlier.shown() + ") and " + setting.value() + " ("
                            + setting.shown() + ")");
                }
            }
        }
        return new ProcessSettings(process, new ArrayList<>(byName.values()));
    }

    /** What users are told of: all but the knobs of tests. */
    public List<Setting<?>> documented() {
        return settings.stream().filter(s -> !s.testKnob()).toList();
    }

    public Set<String> names() {
        return Set.copyOf(settings.stream().map(Setting::name).toList());
    }
}
