package dev.arkonis.ark.flow;

import java.util.List;

/** Result of validating a team: errors make it unusable, warnings do not. */
public record Validation(List<Problem> errors, List<Problem> warnings) {
    public Validation {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean isValid() {
        return errors.isEmpty();
    }
}
