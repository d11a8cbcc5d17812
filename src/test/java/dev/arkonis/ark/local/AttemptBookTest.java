package dev.arkonis.ark.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskOutcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AttemptBookTest {
    private static StepState step(StepPhase phase, int attempts, String message) {
        return new StepState("s", "r", phase, "run/s/" + attempts, attempts, 0, null, null, null, null, message, TokenUsage.ZERO);
    }

    private static LocalRunner.Finished finished(TaskOutcome outcome, String taskId) {
        return new LocalRunner.Finished(outcome, Duration.ofMillis(10), taskId);
    }

    @Test
    void aReplyRejectedByItsChecksIsSettledByTheNextAttempt() {
        AttemptBook book = new AttemptBook();
        Attempt attempt = book.settle(finished(TaskOutcome.success("s", 1, "not json", TokenUsage.of(1, 2)), "run/s/1"),
                step(StepPhase.Running, 2, "retrying: attempt 2 after failed validation: output is not valid JSON")).orElseThrow();
        assertThat(attempt.rawOutput()).isEqualTo("not json");
        assertThat(attempt.problem()).isEqualTo("output is not valid JSON");
        assertThat(attempt.rejectedByChecks()).isTrue();
    }

    @Test
    void aReplyAStepStillWorksOnWaitsForTheCallThatDecidesIt() {
        AttemptBook book = new AttemptBook();
        // the step runs the same attempt on (a judge looks at the reply): not settled yet
        assertThat(book.settle(finished(TaskOutcome.success("s", 1, "the reply", TokenUsage.of(1, 2)), "run/s/1"),
                step(StepPhase.Running, 1, "judging"))).isEmpty();
        Attempt attempt = book.settle(finished(TaskOutcome.success("s", 1, "{\"pass\":true}", TokenUsage.of(3, 4)), "run/s/1/judge"),
                step(StepPhase.Succeeded, 1, null)).orElseThrow();
        assertThat(attempt.rawOutput()).isEqualTo("the reply");
        assertThat(attempt.accepted()).isTrue();
        assertThat(attempt.tokens()).isEqualTo(TokenUsage.of(4, 6));
        assertThat(attempt.duration()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aFailedCallIsAnAttemptWithoutAReply() {
        Attempt attempt = new AttemptBook().settle(finished(TaskOutcome.failure("s", 1, "openai: 503", TokenUsage.ZERO), "run/s/1"),
                step(StepPhase.Failed, 1, "openai: 503")).orElseThrow();
        assertThat(attempt.rawOutput()).isNull();
        assertThat(attempt.problem()).isEqualTo("openai: 503");
        assertThat(attempt.rejectedByChecks()).isFalse();
    }
}
