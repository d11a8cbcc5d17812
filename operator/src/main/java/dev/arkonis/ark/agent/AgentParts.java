package dev.arkonis.ark.agent;

import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.tools.ToolException;
import dev.arkonis.ark.queue.DelegationCall;
import dev.arkonis.ark.queue.DelegationChannel;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisUnavailableException;
import dev.arkonis.ark.queue.RoleKeys;
import dev.arkonis.ark.queue.StreamLimits;
import dev.arkonis.ark.queue.TaskConsumer;
import dev.arkonis.ark.queue.TokenBudget;
import dev.arkonis.ark.queue.TokenLedger;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collaborators of a running agent, built once Redis answers: its connections, its consumer of the role's
 * stream, the role's token ledger and the budget gate on it, and the task runner with the pool its model calls run in.
 */
public record AgentParts(RedisConnections redis, TaskConsumer consumer, TokenLedger ledger, BudgetGate budget,
                         TaskRunner runner, ExecutorService calls) {
    private static final Logger LOG = LoggerFactory.getLogger("agent");

    /** Where a runtime gets its parts when it starts (after start-up checks, so a failure is a start-up failure). */
    @FunctionalInterface
    public interface Source {
        AgentParts connect() throws StartupException;
    }

    /** The agent of {@code ark agent}: everything on the Redis of TASK_QUEUE_URL. */
    public static AgentParts connect(AgentConfig config, LlmProvider provider, Clock clock) throws StartupException {
        RedisConnections redis;
        try {
            redis = RedisConnections.open(config.redis());
        } catch (RedisUnavailableException e) {
            throw new StartupException(e.getMessage(), e);
        }
        try {
            RoleKeys keys = new RoleKeys(config.queue());
            TaskConsumer consumer = new TaskConsumer(redis.shared(), redis.newConnection(), keys, config.podName(),
                    StreamLimits.DEFAULT);
            TokenLedger ledger = new TokenLedger(redis.shared(), keys, config.budgetWindow());
            BudgetGate budget = new BudgetGate(ledger, new TokenBudget(config.dailyTokenLimit()), clock, LOG);
            ExecutorService calls = Executors.newCachedThreadPool(DaemonThreads.named("agent-llm"));
            DelegationChannel channel = new DelegationChannel(redis.shared(), redis::newConnection, keys, clock);
            return new AgentParts(redis, consumer, ledger, budget, new TaskRunner(provider, config, clock, calls,
                    delegators(channel, config.podName())), calls);
        } catch (RuntimeException e) {
            redis.close();
            throw new StartupException("cannot connect to Redis at " + config.redis().redacted() + ": "
                    + e.getMessage(), e);
        }
    }

    /** A task's delegate calls go out on its own result stream; each waits on the role's reply list for its answer. */
    static TaskRunner.Delegators delegators(DelegationChannel channel, String pod) {
        return (task, end) -> (call, role, text) -> {
            channel.send(task.replyTo(), new DelegationCall(task.task(), call, role, text, pod, task.extra()));
            try {
                return channel.await(task.task(), call, end)
                        .orElseThrow(() -> new ToolException("no answer from " + role + " before this task's deadline"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolException("the agent stopped while waiting for " + role);
            }
        };
    }

    void close() {
        calls.shutdownNow();
        redis.close();
    }
}
