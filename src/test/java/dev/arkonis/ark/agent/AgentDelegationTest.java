package dev.arkonis.ark.agent;

import static dev.arkonis.ark.agent.TestAgents.QUEUE;
import static dev.arkonis.ark.agent.TestAgents.REPLIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.tools.BuiltinTools;
import dev.arkonis.ark.llm.tools.Tool;
import dev.arkonis.ark.queue.DelegationCall;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.queue.RoleKeys;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.queue.TaskQueue;
import dev.arkonis.ark.queue.TaskResult;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs.StreamOffset;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent pod's delegate calls: out on its task's own result stream with the task's coordinates, the answer back on
 * its role's reply list, into the model's tool loop; a router task is offered the route tool over its capabilities.
 */
class AgentDelegationTest {
    private static RedisFixture redis;
    private TestAgents agents;
    private TaskQueue queue;
    private final List<String> offered = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisFixture.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void setUp() {
        redis.flushAll();
        agents = new TestAgents(redis);
        queue = new TaskQueue(redis.connection());
    }

    @AfterEach
    void tearDown() {
        agents.close();
    }

    /** A model that delegates once when it may, and answers with what came back. */
    private LlmProvider delegating() {
        return request -> {
            request.taskTools().forEach(t -> offered.add(t.name()));
            Tool delegate = BuiltinTools.named(request.taskTools(), "delegate").orElse(null);
            if (delegate == null) {
                return new Completion("no delegation", List.of(TokenUsage.of(1, 1)));
            }
            String answer;
            try {
                answer = delegate.call("{\"role\": \"billing\", \"task\": \"refund invoice 42\"}");
            } catch (Exception e) {
                answer = "error: " + e.getMessage();
            }
            return new Completion("got: " + answer, List.of(TokenUsage.of(3, 2)));
        };
    }

    private List<StreamMessage<String, String>> entries() {
        return redis.redis().xread(StreamOffset.from(REPLIES, "0"));
    }

    @Test
    void aDelegateCallGoesOutOnTheResultStreamAndItsAnswerComesBackIntoTheToolLoop() throws Exception {
        agents.start("pod-a", delegating());
        queue.dispatch(QUEUE, TaskMessage.of("run-1/lead/1", "a double charge", REPLIES)
                .withExtra(Map.of("run", "run-1", "namespace", "ns", "step", "lead", "attempt", "1", "team", "team"))
                .withBuiltinTools(List.of("billing", "technical"), null));

        await().atMost(Duration.ofSeconds(10)).until(() -> !entries().isEmpty());
        Map<String, String> sent = entries().get(0).getBody();
        assertThat(DelegationCall.isDelegation(sent)).isTrue();
        DelegationCall call = DelegationCall.fromFields(sent);
        assertThat(call).isEqualTo(new DelegationCall("run-1/lead/1", 1, "billing", "refund invoice 42", "pod-a",
                Map.of("run", "run-1", "namespace", "ns", "step", "lead", "attempt", "1", "team", "team")));
        assertThat(offered).containsExactly("delegate");

        redis.redis().rpush(new RoleKeys(QUEUE).reply("run-1/lead/1", 1), "refunded");
        await().atMost(Duration.ofSeconds(10)).until(() -> entries().size() == 2);
        TaskResult result = TaskResult.fromFields(entries().get(1).getBody());
        assertThat(result.output()).isEqualTo("got: refunded");
        assertThat(result.copied()).containsEntry("step", "lead");
        assertThat(redis.redis().exists(new RoleKeys(QUEUE).reply("run-1/lead/1", 1))).isZero();
    }

    @Test
    void aTaskWhoseAnswerNeverComesEndsAtItsDeadlineAndARouterTaskIsOfferedRouteAlone() throws Exception {
        agents.start("pod-a", delegating());
        queue.dispatch(QUEUE, TaskMessage.of("run-2/lead/1", "x", REPLIES)
                .withDeadline(Instant.now().plusSeconds(3))
                .withBuiltinTools(List.of("billing"), null));
        await().atMost(Duration.ofSeconds(15)).until(() -> entries().size() == 2);
        TaskResult timedOut = TaskResult.fromFields(entries().get(1).getBody());
        assertThat(timedOut.status()).isEqualTo(dev.arkonis.ark.queue.TaskStatus.FAILED);
        assertThat(timedOut.error()).isEqualTo("deadline exceeded");

        offered.clear();
        queue.dispatch(QUEUE, TaskMessage.of("run-3/route/1/router", "Task:\\nslow\\n", REPLIES)
                .withBuiltinTools(List.of(), "[{\"id\": \"slow-query\", \"description\": \"SQL\", \"tags\": [\"sql\"]}]"));
        await().atMost(Duration.ofSeconds(10)).until(() -> entries().size() == 3);
        assertThat(offered).containsExactly("route");
    }
}
