package dev.arkonis.ark.local;

import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskOutcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the results a run applied into attempts: the raw reply of each and what became of it. An attempt is settled
 * once its step has moved on (succeeded, failed, or started its next attempt); while the step still runs the same
 * attempt (a further call, such as a judge, decides it) the reply waits here.
 */
final class AttemptBook {
    // The engine's words before the list of check errors: "... after failed validation: " / "... after 3 attempt(s): "
    private static final Pattern CHECK_ERRORS =
            Pattern.compile("after failed validation: |failed validation after \\d+ attempt\\(s\\): ");

    private record Unsettled(String rawOutput, TokenUsage tokens, Duration took, Duration waited) {
    }

    private final Map<String, Unsettled> waiting = new HashMap<>();

    /** The attempt a result settled, read from its step once the run applied the result; empty while undecided. */
    Optional<Attempt> settle(LocalRunner.Finished finished, StepState after) {
        TaskOutcome outcome = finished.outcome();
        TokenUsage tokens = outcome.usage() == null ? TokenUsage.ZERO : outcome.usage();
        Unsettled earlier = waiting.remove(outcome.step());
        String raw = earlier != null ? earlier.rawOutput() : outcome.succeeded() ? outcome.output() : null;
        if (earlier != null) {
            tokens = earlier.tokens().plus(tokens);
        }
        Duration took = earlier != null ? earlier.took().plus(finished.took()) : finished.took();
        Duration waited = earlier != null ? earlier.waited().plus(finished.queueWait()) : finished.queueWait();
        if (after.phase() == StepPhase.Running && after.attempts() == outcome.attempt() && outcome.succeeded()) {
            waiting.put(outcome.step(), new Unsettled(raw, tokens, took, waited));
            return Optional.empty();
        }
        if (!outcome.succeeded() && earlier == null) {
            return Optional.of(new Attempt(outcome.step(), outcome.attempt(), null, outcome.error(), tokens, took, waited));
        }
        boolean accepted = after.phase() == StepPhase.Succeeded && after.attempts() == outcome.attempt();
        String problem = accepted ? null : !outcome.succeeded() ? outcome.error() : checkProblems(after.message());
        return Optional.of(new Attempt(outcome.step(), outcome.attempt(), raw, problem, tokens, took, waited));
    }

    /** The checks' errors out of the engine's message ("retrying: attempt 2 after failed validation: ..."). */
    private static String checkProblems(String message) {
        if (message == null) {
            return "the output failed its checks";
        }
        Matcher m = CHECK_ERRORS.matcher(message);
        return m.find() ? message.substring(m.end()) : message;
    }
}
