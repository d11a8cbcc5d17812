package dev.arkonis.ark.flow;

import java.util.List;

/** The verdict on a step's output: the output to keep (JSON extracted from a fence, if any) or what is wrong. */
public record OutputCheck(String output, List<String> errors) {
    public OutputCheck {
        errors = List.copyOf(errors);
    }

    public boolean passed() {
        return errors.isEmpty();
    }
}
