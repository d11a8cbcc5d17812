package dev.arkonis.ark.llm;

import java.util.Optional;

/**
 * Whether a model's provider is believed down, shared by every agent that uses it: after a few calls in a row failed
 * in a way that retries did not heal, the circuit opens and calls fail at once (or fall back) instead of every agent
 * finding out alone; after a cool-down one call is let through to probe, and its success closes it for all.
 */
public interface Circuit {
    /** A circuit that never opens. */
    Circuit CLOSED = new Circuit() {
        @Override
        public Optional<String> refusal() {
            return Optional.empty();
        }

        @Override
        public void succeeded() {
        }

        @Override
        public void failed(String why) {
        }
    };

    /** Empty when a call may go (closed, or this caller holds the half-open probe); else why not. */
    Optional<String> refusal();

    void succeeded();

    /** A call failed in a way its retries did not heal. */
    void failed(String why);
}
