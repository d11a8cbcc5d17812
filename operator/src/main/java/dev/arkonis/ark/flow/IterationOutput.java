package dev.arkonis.ark.flow;

/** The output of an iteration of a loop step that a later iteration replaced; transports keep it retrievable. */
public record IterationOutput(String step, String role, int iteration, String output) {
}
