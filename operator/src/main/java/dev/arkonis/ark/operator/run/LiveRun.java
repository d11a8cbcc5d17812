package dev.arkonis.ark.operator.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.flow.PipelineRun;
import java.util.HashMap;
import java.util.Map;

/**
 * A run the operator is driving: its engine, kept between events so that an event costs what it changes, and what
 * the operator knows it already did for it (outputs saved to Redis, the Redis generation its tasks were sent in).
 * Valid only for the resource version it was last recorded at; one reconcile at a time touches it.
 */
final class LiveRun {
    /** Tasks of Running steps were never sent by this process (a restore). */
    static final long NEVER_SENT = -1;

    final String uid;
    final String team;
    /** The team's spec as the run started: what the status records and restores compile. */
    final JsonNode teamSpec;
    final PipelineRun engine;
    /** Whole outputs already in Redis: step name (or {@link #RUN_OUTPUT}) to the attempt whose output it is. */
    final Map<String, Integer> offloaded = new HashMap<>();
    /** Sizes and cuts of its outputs, measured once each. */
    final OutputMemo memo = new OutputMemo();
    String resourceVersion;
    String observedRetry;
    /** Whether the transitions its status shows were announced by this process (a restored run's may not have been). */
    boolean announced = true;
    long sentInDataGeneration = NEVER_SENT;
    /** The engine changed after its status was written (a cancelled run's task came back): record it again soon. */
    boolean unrecorded;

    static final String RUN_OUTPUT = "";

    LiveRun(String uid, String team, JsonNode teamSpec, PipelineRun engine, String resourceVersion, String observedRetry) {
        this.uid = uid;
        this.team = team;
        this.teamSpec = teamSpec;
        this.engine = engine;
        this.resourceVersion = resourceVersion;
        this.observedRetry = observedRetry;
    }
}
