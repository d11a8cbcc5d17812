package dev.arkonis.ark.flow;

import java.util.List;

/**
 * An ArkAgent, ArkRegistry or ArkSettings read from a team file: what a run of the file's team may use (agents to
 * route to, the registry's policy, settings), with the problems found while reading it.
 */
public record SpecDocument<T>(String kind, String name, String namespace, int index, T spec, List<Problem> problems) {
    public static final String AGENT = "ArkAgent";
    public static final String REGISTRY = "ArkRegistry";
    public static final String SETTINGS = "ArkSettings";

    public SpecDocument {
        problems = List.copyOf(problems);
    }
}
