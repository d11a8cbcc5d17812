package dev.arkonis.ark.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunSpec;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.TeamRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a finished run is deleted: its own time to live, else its team's (as the run started with it), else never. */
class RunExpiryTest {
    private static final Instant DONE = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aFinishedRunExpiresItsOwnTimeToLiveAfterItsCompletionElseItsTeamsElseNever() {
        assertThat(RunExpiry.expiresAt(run(RunPhase.Succeeded, 60, 600))).contains(DONE.plusSeconds(60));
        assertThat(RunExpiry.expiresAt(run(RunPhase.Failed, null, 600))).as("the team's default")
                .contains(DONE.plusSeconds(600));
        assertThat(RunExpiry.expiresAt(run(RunPhase.Cancelled, 0, 600))).as("0: at once").contains(DONE);
        assertThat(RunExpiry.expiresAt(run(RunPhase.Succeeded, null, null))).as("neither sets one").isEmpty();
        assertThat(RunExpiry.expiresAt(run(RunPhase.Running, 60, 600))).as("a run that has not finished").isEmpty();
    }

    private static ArkRun run(RunPhase phase, Integer ttl, Integer teamTtl) {
        ArkRun run = new ArkRun();
        run.setMetadata(new ObjectMetaBuilder().withName("r").withNamespace("ns").build());
        run.setSpec(new RunSpec(new TeamRef("t"), null, null, null, null, null, null, null, ttl));
        ObjectNode team = JsonNodeFactory.instance.objectNode();
        if (teamTtl != null) {
            team.put(RunExpiry.FIELD, teamTtl);
        }
        run.setStatus(RunStatus.builder().phase(phase).startTime(DONE.minusSeconds(5).toString())
                .completionTime(phase.isFinished() ? DONE.toString() : null).teamSpec(team).build());
        return run;
    }
}
