package dev.arkonis.ark.flow;

import java.util.List;

/** A run input that does not fit the team's declared inputs; the message names each input. */
public class InvalidInputException extends Exception {
    private final List<String> problems;

    public InvalidInputException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
