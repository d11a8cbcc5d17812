package dev.arkonis.ark.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.RunRecord;
import dev.arkonis.ark.flow.RunLimits;
import dev.arkonis.ark.flow.TaskOutcome;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.queue.OutputStore;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's step state into the ArkRun status and back, field by field where the CLI reads it. */
class RunStatusMapperTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private RedisFixture redis;
    private RedisConnections connections;

    @BeforeEach
    void start() throws Exception {
        redis = RedisFixture.start();
        connections = RedisConnections.open(redis.url());
    }

    @AfterEach
    void stop() {
        connections.close();
        redis.close();
    }

    @Test
    void aStepsQueueWaitGoesIntoTheStatusAndComesBackAndAnOldStatusWithoutItReadsAsUnknown() throws Exception {
        ArkTeam team = Serialization.unmarshal("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: pair, namespace: ns}
                spec:
                  roles: [{name: w, model: m}]
                  pipeline:
                    - {name: a, role: w}
                    - {name: b, role: w, dependsOn: [a]}
                """, ArkTeam.class);
        Pipeline pipeline = Pipeline.compile(team.getSpec(), new TeamValidator(new JsonSchemas()));
        PipelineRun engine = new PipelineRun(pipeline, "r1", new ObjectMapper().createObjectNode(), RunLimits.NONE,
                new OutputChecker(new JsonSchemas()));
        TaskRequest a = engine.start(T0).get(0);
        TaskRequest b = engine.onResult(TaskOutcome.success("a", a.attempt(), "x", TokenUsage.of(1, 1))
                .withQueueWait(Duration.ofMillis(420)), T0.plusSeconds(1)).get(0);
        engine.onResult(TaskOutcome.success("b", b.attempt(), "y", TokenUsage.of(1, 1)), T0.plusSeconds(2));
        RunStatusMapper mapper = new RunStatusMapper(new OutputStore(connections.shared(), Duration.ofHours(1)));

        RunStatus status = mapper.toStatus(engine, null, null, null, 1L, Map.of(), 4096, new OutputMemo(), T0);
        assertThat(status.steps().get(0).queueWaitMs()).isEqualTo(420L);
        assertThat(status.steps().get(1).queueWaitMs()).as("no agent said: left out").isNull();
        assertThat(Serialization.asJson(status.steps().get(1))).doesNotContain("queueWaitMs");

        RunRecord record = mapper.toRecord(runWith(status), "pair");
        assertThat(record.steps().get(0).queueWait()).isEqualTo(Duration.ofMillis(420));
        assertThat(record.steps().get(1).queueWait()).isNull();

        // a status written before the field existed
        String json = Serialization.asJson(status);
        assertThat(json).contains("\"queueWaitMs\":420");
        json = json.replaceAll(",?\"queueWaitMs\":\\d+", "");
        RunStatus old = Serialization.unmarshal(json, RunStatus.class);
        assertThat(old.steps().get(0).queueWaitMs()).isNull();
        assertThat(mapper.toRecord(runWith(old), "pair").steps().get(0).queueWait()).isNull();
    }

    private static ArkRun runWith(RunStatus status) {
        ArkRun run = new ArkRun();
        run.setMetadata(new ObjectMetaBuilder().withName("r1").withNamespace("ns").build());
        run.setStatus(status);
        return run;
    }
}
