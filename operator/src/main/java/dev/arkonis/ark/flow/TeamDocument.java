package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.ArkTeamSpec;
import java.util.List;

/** One ArkTeam read from a file, with the problems found while reading it (unknown fields, wrong types). */
public record TeamDocument(String name, String namespace, ArkTeamSpec spec, List<Problem> readProblems) {
    public TeamDocument {
        readProblems = List.copyOf(readProblems);
    }
}
