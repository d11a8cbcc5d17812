package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.flow.IterationOutput;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.operator.StatusRecorder;
import dev.arkonis.ark.queue.OutputStore;
import dev.arkonis.ark.queue.RunTransport;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Records a run's status, only when it changed. Owns output offloading: each output is kept in status up to the
 * per-output limit, and the whole status up to the status budget (so a run with many large outputs still fits
 * the API server's object size limit); the whole text of every output it cuts is saved to the transport (Redis) first, once, so
 * whoever sees {@code outputTruncated} can read it ({@code ark status}, later steps after a restart).
 */
final class RunStatusRecorder {
    private final RunStatusMapper mapper;
    private final RunTransport outputs;
    private final OutputBudget budget;
    private final StatusRecorder<ArkRun, RunStatus> statuses;

    /** @param outputs where whole outputs are kept */
    RunStatusRecorder(RunStatusMapper mapper, RunTransport outputs, OutputBudget budget,
                      StatusRecorder<ArkRun, RunStatus> statuses) {
        this.mapper = mapper;
        this.outputs = outputs;
        this.budget = budget;
        this.statuses = statuses;
    }

    /** Writes the status the live run now has, if it differs from the run's; returns the run as it now is. */
    ArkRun record(ArkRun run, LiveRun live, RunObservation seen, Context<ArkRun> context, Instant now) {
        ArkRun written = statuses.record(run, status(run, live, seen, now), context);
        live.resourceVersion = written.getMetadata().getResourceVersion();
        return written;
    }

    /** The run is gone: the whole outputs kept for it go too, rather than wait out their time in Redis. */
    void dropOutputs(ArkRun run) {
        outputs.dropOutputs(RunStatusMapper.outputKeys(run));
    }

    /** The status of the live run, with cut outputs saved whole to Redis before the status says they were cut. */
    RunStatus status(ArkRun run, LiveRun live, RunObservation seen, Instant now) {
        PipelineRun engine = live.engine;
        List<StepState> steps = engine.steps();
        List<String> all = new ArrayList<>();
        steps.forEach(s -> all.add(s.output()));
        all.add(engine.output());
        OutputMemo memo = live.memo;
        memo.retainOnly(all.stream().filter(Objects::nonNull).toList());
        int[] sizes = all.stream().mapToInt(o -> o == null ? 0 : memo.bytes(o)).toArray();
        int cap = budget.cap(sizes);
        RunStatus status = mapper.toStatus(engine, run.getStatus(), live.teamSpec, live.observedRetry,
                run.getMetadata().getGeneration(), seen.waitingByRole(), seen.warming(), cap, memo, now);
        if (budget.outputsNearTotal(sizes)) {
            // the budget holds for the whole status: the outputs get what its other fields leave
            int rest = Serialization.asJson(status).getBytes(StandardCharsets.UTF_8).length - kept(sizes, cap);
            int room = budget.roomBeside(rest);
            if (room < budget.total()) {
                cap = budget.cap(sizes, room);
                status = mapper.toStatus(engine, run.getStatus(), live.teamSpec, live.observedRetry,
                        run.getMetadata().getGeneration(), seen.waitingByRole(), seen.warming(), cap, memo, now);
            }
        }
        offload(run, live, cap);
        return status;
    }

    private static int kept(int[] sizes, int cap) {
        long sum = 0;
        for (int size : sizes) {
            sum += Math.min(size, cap);
        }
        return (int) Math.min(sum, Integer.MAX_VALUE);
    }

    /** Whole texts of the outputs cut to {@code cap} go to Redis, once each, before the status says they were cut. */
    private void offload(ArkRun run, LiveRun live, int cap) {
        PipelineRun engine = live.engine;
        OutputMemo memo = live.memo;
        String namespace = run.getMetadata().getNamespace();
        // earlier iterations of loop steps are kept whole beside cut outputs; the status shows the latest
        for (IterationOutput replaced : engine.drainReplacedIterations()) {
            outputs.saveOutput(OutputStore.iterationKey(Names.queue(namespace, live.team, replaced.role()),
                    run.getMetadata().getName(), replaced.step(), replaced.iteration()), replaced.output());
        }
        for (StepState step : engine.steps()) {
            if (step.output() != null && memo.bytes(step.output()) > cap
                    && !Objects.equals(live.offloaded.get(step.name()), step.attempts())) {
                outputs.saveOutput(OutputStore.stepKey(Names.queue(namespace, live.team, step.role()),
                        run.getMetadata().getName(), step.name()), step.output());
                live.offloaded.put(step.name(), step.attempts());
            }
        }
        if (engine.output() != null && memo.bytes(engine.output()) > cap && !live.offloaded.containsKey(LiveRun.RUN_OUTPUT)) {
            outputs.saveOutput(Names.runOutput(namespace, live.team, run.getMetadata().getName()), engine.output());
            live.offloaded.put(LiveRun.RUN_OUTPUT, 0);
        }
    }

    /** A write of the run's metadata this reconcile made: the status is written over it, and the cache knows it. */
    ArkRun wrote(ArkRun before, ArkRun written, Context<ArkRun> context) {
        return statuses.wrote(before, written, context);
    }

    /** A run that could not start (its failed status), or may not yet (its waiting one): written as is. */
    ArkRun recordUnstarted(ArkRun run, RunStatus status, Context<ArkRun> context) {
        return statuses.record(run, status, context);
    }
}
