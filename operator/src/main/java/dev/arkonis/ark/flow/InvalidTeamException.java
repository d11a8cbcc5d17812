package dev.arkonis.ark.flow;

import java.util.List;
import java.util.stream.Collectors;

/** A team that cannot run, with every problem found. */
public class InvalidTeamException extends Exception {
    private final List<Problem> problems;

    public InvalidTeamException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
