package dev.arkonis.ark.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the run path relies on of its transport, held for Redis and for the memory the reconciler's decision tests
 * use, so those tests decide as they would over Redis.
 */
abstract class RunTransportContract {
    static final String STREAM = "ns.team.writer";
    static final String REPLIES = "ns.team.writer.results";
    /** Long enough for a first read to see what is already there, on Redis too. */
    private static final Duration WAIT = Duration.ofMillis(200);

    abstract RunTransport transport();

    /** Tasks on the stream (XLEN). */
    abstract int queued(String stream);

    /** An agent takes the oldest task of the stream: the id of the task it took. */
    abstract String take(String stream);

    /** An agent answers the task on its result stream. */
    abstract void answer(String taskId, String output, Map<String, String> copied);

    /** Results read and not acknowledged (XPENDING of the operator's group). */
    abstract long pending(String resultStream);

    /** An agent's delegate call while it works on the task, on its result stream. */
    abstract void delegate(String taskId, int call, String target, String prompt, Map<String, String> copied);

    /** The answers on a reply list that no agent took yet (LRANGE). */
    abstract List<String> replies(String key);

    private static TaskMessage task(String id) {
        return TaskMessage.of(id, "work on " + id, REPLIES).withExtra(Map.of("run", "r", "namespace", "ns"));
    }

    @Test
    void aTaskIdIsSentOnceHoweverOftenItIsSent() {
        assertThat(transport().send(STREAM, task("r/a/1"))).isTrue();
        assertThat(transport().send(STREAM, task("r/a/1"))).as("sent again after a crash").isFalse();
        assertThat(transport().send(STREAM, task("r/a/2"))).isTrue();
        assertThat(queued(STREAM)).isEqualTo(2);
    }

    @Test
    void aTaskNoAgentTookIsTakenBackAndOneAnAgentTookIsLeftToFinish() {
        transport().send(STREAM, task("r/taken/1"));
        transport().send(STREAM, task("r/queued/1"));
        assertThat(take(STREAM)).isEqualTo("r/taken/1");

        assertThat(transport().withdraw(STREAM, "r/taken/1")).isFalse();
        assertThat(transport().withdraw(STREAM, "r/queued/1")).isTrue();
        assertThat(transport().withdraw(STREAM, "r/never-sent/1")).isFalse();
        assertThat(queued(STREAM)).isEqualTo(1);
    }

    @Test
    void aResultIsReadOnceWithTheFieldsItsTaskCopiedAndStaysPendingUntilAcknowledged() {
        transport().send(STREAM, task("r/a/1"));
        answer("r/a/1", "done", Map.of("run", "r", "namespace", "ns", "step", "a", "attempt", "1"));
        transport().watch(REPLIES);

        List<ResultDelivery> read = transport().read(10, WAIT);
        assertThat(read).singleElement().satisfies(delivery -> {
            assertThat(delivery.stream()).isEqualTo(REPLIES);
            assertThat(delivery.result().task()).isEqualTo("r/a/1");
            assertThat(delivery.result().output()).isEqualTo("done");
            assertThat(delivery.result().copied()).containsEntry("run", "r").containsEntry("step", "a");
        });
        assertThat(transport().read(10, WAIT)).as("read once").isEmpty();
        assertThat(pending(REPLIES)).isEqualTo(1);

        transport().ack(read.get(0));
        assertThat(pending(REPLIES)).isZero();
        assertThat(transport().losses()).isZero();
    }

    @Test
    void aDelegateCallIsReadBesideTheResultsAndItsAnswerWaitsOnItsList() {
        transport().send(STREAM, task("r/a/1"));
        delegate("r/a/1", 1, "editor", "check it", Map.of("run", "r", "namespace", "ns", "step", "a", "attempt", "1"));
        transport().watch(REPLIES);
        assertThat(transport().read(10, WAIT)).singleElement().satisfies(delivery -> {
            assertThat(delivery.isDelegation()).isTrue();
            assertThat(delivery.task()).isEqualTo("r/a/1");
            assertThat(delivery.delegation().target()).isEqualTo("editor");
            assertThat(delivery.delegation().prompt()).isEqualTo("check it");
            assertThat(delivery.copied()).containsEntry("run", "r");
        });
        String key = new RoleKeys(STREAM).reply("r/a/1", 1);
        transport().reply(key, "checked");
        assertThat(replies(key)).containsExactly("checked");
    }

    @Test
    void theWorkOfAStreamIsItsQueuedAndTakenTasksUpToTheCap() {
        assertThat(transport().work(STREAM, 10)).isZero();
        transport().send(STREAM, task("r/a/1"));
        transport().send(STREAM, task("r/b/1"));
        transport().send(STREAM, task("r/c/1"));
        assertThat(transport().work(STREAM, 10)).isEqualTo(3);
        assertThat(transport().work(STREAM, 2)).isEqualTo(2);
        take(STREAM);
        assertThat(transport().work(STREAM, 10)).as("one taken, still to do").isEqualTo(3);
        transport().withdraw(STREAM, "r/c/1");
        assertThat(transport().work(STREAM, 10)).isEqualTo(2);
    }

    @Test
    void aTakeOverReadsAgainAtOnceWhatWasReadAndNeverAcknowledged() {
        transport().send(STREAM, task("r/a/1"));
        transport().send(STREAM, task("r/b/1"));
        answer("r/a/1", "a", Map.of("run", "r", "namespace", "ns", "step", "a", "attempt", "1"));
        answer("r/b/1", "b", Map.of("run", "r", "namespace", "ns", "step", "b", "attempt", "1"));
        transport().watch(REPLIES);
        List<ResultDelivery> read = transport().read(10, WAIT);
        assertThat(read).hasSize(2);
        transport().ack(read.get(0));

        transport().takeOver();
        assertThat(transport().read(10, WAIT)).singleElement()
                .satisfies(delivery -> assertThat(delivery.result().task()).isEqualTo("r/b/1"));
        assertThat(pending(REPLIES)).isEqualTo(1);
        assertThat(transport().read(10, WAIT)).as("taken over once").isEmpty();
    }

    @Test
    void wholeOutputsAreKeptUnderTheirKeys() {
        transport().saveOutput("ns.team.writer.outputs.r.a", "é".repeat(40_000));
        assertThat(transport().loadOutput("ns.team.writer.outputs.r.a")).contains("é".repeat(40_000));
        assertThat(transport().loadOutput("ns.team.writer.outputs.r.b")).isEmpty();
    }

    @Test
    void aTeamRolesCachedAnswerIsFoundWithinItsAgeAndNotByAnotherTeam() {
        java.time.Instant at = java.time.Instant.parse("2026-01-01T00:00:00Z");
        String key = "ab".repeat(32);
        transport().stepCache("ns", "team").keep(new dev.arkonis.ark.flow.CacheWrite("draft", "writer", key,
                Duration.ofMinutes(10), "cached answer", dev.arkonis.ark.api.TokenUsage.of(5, 7), "r", at));
        dev.arkonis.ark.flow.CacheLookup lookup = new dev.arkonis.ark.flow.CacheLookup("draft", "writer", key,
                Duration.ofMinutes(10));
        assertThat(transport().stepCache("ns", "team").find(lookup, at.plusSeconds(600)))
                .hasValueSatisfying(a -> assertThat(a.output()).isEqualTo("cached answer"));
        assertThat(transport().stepCache("ns", "team").find(lookup, at.plusSeconds(601))).isEmpty();
        assertThat(transport().stepCache("ns", "other").find(lookup, at)).isEmpty();
    }
}
