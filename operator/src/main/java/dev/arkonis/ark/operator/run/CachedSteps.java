package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.CacheLookup;
import dev.arkonis.ark.flow.CacheWrite;
import dev.arkonis.ark.flow.CachedAnswer;
import dev.arkonis.ark.flow.OutputOrigin;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.StepCacheKey;
import dev.arkonis.ark.flow.StepCacheStore;
import dev.arkonis.ark.flow.TaskOutcome;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.queue.RunTransport;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step cache on the run path: before tasks are sent, each cached step's first try is looked up under its role's
 * keys in the transport, and a hit answers it with no model call (the steps it frees are looked up in turn); the
 * answers a run accepted are handed back to be kept. Keys carry what a role's answers depend on beyond its spec (the
 * prompt of its systemPromptRef). Reads only: keeping is the dispatcher's, once the status holds the run.
 */
final class CachedSteps {
    /** One lookup: the role's, a hit or not, and what a hit did not spend again. */
    record Use(String role, boolean hit, TokenUsage saved) {
    }

    /** The tasks still to send, the lookups made, and the answers to keep. */
    record Outcome(List<TaskRequest> toSend, List<Use> uses, List<CacheWrite> writes) {
    }

    private final RunTransport transport;
    private final PromptSalts salts;

    CachedSteps(RunTransport transport, PromptSalts salts) {
        this.transport = transport;
        this.salts = salts;
    }

    Outcome answer(String namespace, String team, PipelineRun engine, Collection<TaskRequest> tasks, Instant now) {
        StepCacheStore store = transport.stepCache(namespace, team);
        Map<String, String> saltByRole = new HashMap<>();
        Map<String, TaskRequest> toSend = new LinkedHashMap<>();
        List<Use> uses = new ArrayList<>();
        Deque<TaskRequest> queue = new ArrayDeque<>(tasks);
        while (!queue.isEmpty()) {
            TaskRequest task = queue.poll();
            CacheLookup lookup = engine.cacheLookup(task).orElse(null);
            if (lookup == null) {
                toSend.put(task.taskId(), task);
                continue;
            }
            String salt = saltByRole.computeIfAbsent(lookup.role(), role -> salts.of(namespace, engine.pipeline().role(role)));
            CachedAnswer answer = store.find(salted(lookup, salt), now).orElse(null);
            uses.add(new Use(lookup.role(), answer != null, answer == null ? TokenUsage.ZERO : answer.tokens()));
            if (answer == null) {
                toSend.put(task.taskId(), task);
                continue;
            }
            queue.addAll(engine.onResult(TaskOutcome.cached(task.step(), task.attempt(), answer.output(),
                    OutputOrigin.cached(answer.run(), answer.at())).forTask(task.taskId()), now));
        }
        List<CacheWrite> writes = engine.drainCacheWrites().stream().map(write -> salted(write,
                saltByRole.computeIfAbsent(write.role(), role -> salts.of(namespace, engine.pipeline().role(role)))))
                .toList();
        return new Outcome(List.copyOf(toSend.values()), uses, writes);
    }

    private static CacheLookup salted(CacheLookup lookup, String salt) {
        return new CacheLookup(lookup.step(), lookup.role(), StepCacheKey.salted(lookup.key(), salt), lookup.maxAge());
    }

    private static CacheWrite salted(CacheWrite write, String salt) {
        return new CacheWrite(write.step(), write.role(), StepCacheKey.salted(write.key(), salt), write.maxAge(),
                write.output(), write.tokens(), write.run(), write.at());
    }
}
